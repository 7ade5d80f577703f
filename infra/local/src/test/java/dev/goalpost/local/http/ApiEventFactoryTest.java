package dev.goalpost.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiEventFactoryTest {
  private final ApiEventFactory factory =
      new ApiEventFactory(Clock.fixed(Instant.parse("2026-03-12T19:03:58Z"), ZoneOffset.UTC), "local", "123456789012");
  private final RouteTable.Match match =
      new RouteTable.Match(HttpRoute.of("POST", "/things/{id}", "fn", "jwt"), Map.of("id", "7"));

  private APIGatewayV2HTTPEvent build(Map<String, List<String>> headers, String query, byte[] body) {
    return factory.build(new IncomingRequest("POST", "/things/7", query, headers, body, "10.0.0.1", "HTTP/1.1"),
        match, Map.of("sub", "u"), null);
  }

  @Test
  void repeatedHeadersAndQueryParametersAreCommaJoined() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-Thing", List.of("a", "b"));

    APIGatewayV2HTTPEvent e = build(headers, "t=1&t=2&s=a+b", null);

    assertThat(e.getHeaders()).containsEntry("x-thing", "a,b");
    assertThat(e.getQueryStringParameters()).containsEntry("t", "1,2").containsEntry("s", "a b");
    assertThat(e.getRawQueryString()).isEqualTo("t=1&t=2&s=a+b");
  }

  @Test
  void absentPartsAreNullAsInTheRealEvent() {
    APIGatewayV2HTTPEvent e = build(Map.of(), null, new byte[0]);

    assertThat(e.getQueryStringParameters()).isNull();
    assertThat(e.getCookies()).isNull();
    assertThat(e.getBody()).isNull();
    assertThat(e.getRawQueryString()).isEmpty();
  }

  @Test
  void requestContextCarriesTimeClaimsAndRoute() {
    APIGatewayV2HTTPEvent e = build(Map.of(), null, null);

    assertThat(e.getRequestContext().getTime()).isEqualTo("12/Mar/2026:19:03:58 +0000");
    assertThat(e.getRequestContext().getTimeEpoch()).isEqualTo(Instant.parse("2026-03-12T19:03:58Z").toEpochMilli());
    assertThat(e.getRequestContext().getAuthorizer().getJwt().getClaims()).containsEntry("sub", "u");
    assertThat(e.getRouteKey()).isEqualTo("POST /things/{id}");
    assertThat(e.getRequestContext().getHttp().getSourceIp()).isEqualTo("10.0.0.1");
  }

  @Test
  void binaryBodiesAreBase64AndTextBodiesAreNot() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    APIGatewayV2HTTPEvent bin = build(Map.of("Content-Type", List.of("image/png")), null, png);
    APIGatewayV2HTTPEvent text = build(Map.of("Content-Type", List.of("application/json; charset=utf-8")), null,
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(bin.getIsBase64Encoded()).isTrue();
    assertThat(Base64.getDecoder().decode(bin.getBody())).isEqualTo(png);
    assertThat(text.getIsBase64Encoded()).isFalse();
    assertThat(text.getBody()).isEqualTo("{\"a\":1}");
  }

  @Test
  void textContentTypes() {
    assertThat(ApiEventFactory.isText("text/plain")).isTrue();
    assertThat(ApiEventFactory.isText("application/problem+json")).isTrue();
    assertThat(ApiEventFactory.isText("application/x-www-form-urlencoded")).isFalse();
    assertThat(ApiEventFactory.isText(null)).isFalse();
  }
}

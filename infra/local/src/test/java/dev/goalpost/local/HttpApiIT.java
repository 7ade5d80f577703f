package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing, the payload-v2 event, response mapping and CORS, as API Gateway's HTTP API does them. */
@LocalCloudTest
class HttpApiIT {
  private final LocalCloud cloud;
  private final ApiClient api;
  private String token;

  HttpApiIT(LocalCloud cloud, ApiClient api) {
    this.cloud = cloud;
    this.api = api;
  }

  @BeforeEach
  void signIn() {
    token = api.token("user-1", "org-a", List.of("admin"), List.of());
  }

  @Test
  void unknownRouteAnswers404LikeApiGateway() {
    ApiClient.Reply r = api.get("/no/such/route", token);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("message").asText()).isEqualTo("Not Found");
  }

  @Test
  void knownPathWithAnotherMethodIsNotFoundEither() {
    assertThat(api.delete("/_probe/public", token).status()).isEqualTo(404);
  }

  @Test
  void eventCarriesRouteKeyDecodedPathParametersAndJoinedQueryParameters() {
    ApiClient.Reply r = api.get("/_probe/echo/a%20b%2Bc?tag=x&tag=y&q=hello%20world&empty=", token);

    JsonNode e = r.json().path("event");
    assertThat(e.path("version").asText()).isEqualTo("2.0");
    assertThat(e.path("routeKey").asText()).isEqualTo("ANY /_probe/echo/{id}");
    assertThat(e.path("rawPath").asText()).isEqualTo("/_probe/echo/a%20b%2Bc");
    assertThat(e.path("rawQueryString").asText()).isEqualTo("tag=x&tag=y&q=hello%20world&empty=");
    assertThat(e.path("pathParameters").path("id").asText()).isEqualTo("a b+c");
    assertThat(e.path("queryStringParameters").path("tag").asText()).isEqualTo("x,y");
    assertThat(e.path("queryStringParameters").path("q").asText()).isEqualTo("hello world");
    assertThat(e.path("queryStringParameters").path("empty").asText()).isEmpty();
    JsonNode ctx = e.path("requestContext");
    assertThat(ctx.path("stage").asText()).isEqualTo("$default");
    assertThat(ctx.path("routeKey").asText()).isEqualTo("ANY /_probe/echo/{id}");
    assertThat(ctx.path("http").path("method").asText()).isEqualTo("GET");
    assertThat(ctx.path("http").path("path").asText()).isEqualTo("/_probe/echo/a%20b%2Bc");
    assertThat(ctx.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(ctx.path("requestId").asText()).isNotBlank();
    assertThat(ctx.path("time").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
  }

  @Test
  void headersArriveLowercasedAndCookiesSeparately() {
    ApiClient.Reply r = api.raw("GET", "/_probe/echo/h", Map.of(
        "Authorization", "Bearer " + token,
        "X-Custom-Thing", "Value-1",
        "Cookie", "a=1; b=2"), null);

    JsonNode e = r.json().path("event");
    assertThat(e.path("headers").path("x-custom-thing").asText()).isEqualTo("Value-1");
    assertThat(e.path("headers").has("X-Custom-Thing")).isFalse();
    assertThat(e.path("headers").has("cookie")).isFalse();
    assertThat(e.path("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
  }

  @Test
  void jsonBodyArrivesAsTextAndFormBodyAsBase64() {
    JsonNode json = api.post("/_probe/echo/b", token, Map.of("k", "v")).json().path("event");
    assertThat(json.path("isBase64Encoded").asBoolean()).isFalse();
    assertThat(json.path("body").asText()).isEqualTo("{\"k\":\"v\"}");

    byte[] form = "From=%2B15125550101&Body=hi".getBytes(StandardCharsets.UTF_8);
    JsonNode posted = api.raw("POST", "/_probe/echo/b", Map.of(
        "authorization", "Bearer " + token,
        "content-type", "application/x-www-form-urlencoded"), form).json().path("event");
    assertThat(posted.path("isBase64Encoded").asBoolean()).isTrue();
    assertThat(Base64.getDecoder().decode(posted.path("body").asText())).isEqualTo(form);
  }

  @Test
  void responseStatusHeadersAndCookiesAreMapped() {
    ApiClient.Reply r = api.post("/_probe/echo/r", token, Map.of());

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("x-probe")).isEqualTo("yes");
    assertThat(r.headers().get("set-cookie")).containsExactlyInAnyOrder("probe=1; Path=/", "second=2");
  }

  @Test
  void mostSpecificRouteWinsAndGreedyProxyTakesTheRest() {
    assertThat(api.get("/_probe/files/readme", token).json().at("/event/routeKey").asText())
        .isEqualTo("GET /_probe/files/readme");

    JsonNode greedy = api.get("/_probe/files/docs/a%20b/c.txt", token).json().path("event");
    assertThat(greedy.path("routeKey").asText()).isEqualTo("GET /_probe/files/{proxy+}");
    assertThat(greedy.path("pathParameters").path("proxy").asText()).isEqualTo("docs/a b/c.txt");
  }

  @Test
  void functionGetsItsTemplateVariablesResolvedAtInit() {
    JsonNode env = api.get("/_probe/echo/env", token).json().path("env");

    String prefix = cloud.stack().prefix();
    assertThat(env.path("TABLE_NAME").asText()).isEqualTo(prefix + "GoalpostTable");
    assertThat(env.path("PROBE_TABLE_ARN").asText()).startsWith("arn:aws:dynamodb:").endsWith(":table/" + prefix + "GoalpostTable");
    assertThat(env.path("PROBE_QUEUE_URL").asText()).startsWith("http").endsWith("/" + prefix + "ProbeWorkQueue");
    assertThat(env.path("PROBE_GREETING").asText()).isEqualTo("hello from us-east-1 in 123456789012");
    assertThat(env.path("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo(prefix + "ProbeApiFunction");
  }

  @Test
  void functionThatThrowsGives500WithApiGatewaysBody() {
    ApiClient.Reply r = api.get("/_probe/boom", null);

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.json().path("message").asText()).isEqualTo("Internal Server Error");
  }

  @Test
  void functionWhoseHandlerClassIsMissingAnswers500AndTheRestKeepsWorking() {
    assertThat(cloud.functions().unavailableReason("ProbeMissingFunction")).hasValueSatisfying(
        reason -> assertThat(reason).contains("NotWrittenYet"));

    assertThat(api.get("/_probe/missing", null).status()).isEqualTo(500);
    assertThat(api.get("/_probe/public", null).status()).isEqualTo(200);
  }

  @Test
  void preflightIsAnsweredFromTheTemplatesCorsConfiguration() {
    ApiClient.Reply r = api.raw("OPTIONS", "/groups", Map.of(
        "origin", "http://localhost:5173",
        "access-control-request-method", "POST",
        "access-control-request-headers", "authorization,content-type"), null);

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.header("access-control-allow-origin")).isEqualTo("http://localhost:5173");
    assertThat(r.header("access-control-allow-methods")).contains("POST");
    assertThat(r.header("access-control-allow-headers")).contains("authorization");
    assertThat(r.header("access-control-max-age")).isEqualTo("600");
  }

  @Test
  void preflightFromAnUnknownOriginGetsNoCorsHeaders() {
    ApiClient.Reply r = api.raw("OPTIONS", "/groups", Map.of(
        "origin", "https://evil.example",
        "access-control-request-method", "POST"), null);

    assertThat(r.header("access-control-allow-origin")).isNull();
  }

  @Test
  void responsesToAnAllowedOriginCarryAllowOrigin() {
    ApiClient.Reply r = api.raw("GET", "/_probe/public", Map.of("origin", "http://localhost:5173"), null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("access-control-allow-origin")).isEqualTo("http://localhost:5173");
  }
}

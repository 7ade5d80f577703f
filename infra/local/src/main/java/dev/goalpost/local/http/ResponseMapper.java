package dev.goalpost.local.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.local.template.Yamls;
import dev.goalpost.platform.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what a function returned into the HTTP response API Gateway (payload v2) would send: a response
 * object's status, headers, multi-value headers, cookies (as {@code set-cookie}) and body (base64-decoded when
 * flagged); any other value is the "inferred" format, a 200 with the value as JSON.
 */
public final class ResponseMapper {
  private ResponseMapper() {}

  public static OutgoingResponse map(Object output) {
    if (output instanceof APIGatewayV2HTTPResponse r) {
      return fromParts(r.getStatusCode(), r.getHeaders(), r.getMultiValueHeaders(), r.getCookies(), r.getBody(),
          r.getIsBase64Encoded());
    }
    if (output instanceof Map<?, ?> m && m.containsKey("statusCode")) {
      Map<String, Object> map = Yamls.map(m);
      return fromParts(Integer.parseInt(String.valueOf(map.get("statusCode"))),
          strings(map.get("headers")), multi(map.get("multiValueHeaders")),
          Yamls.list(map.get("cookies")).stream().map(String::valueOf).toList(),
          Yamls.string(map.get("body")), Boolean.parseBoolean(String.valueOf(map.get("isBase64Encoded"))));
    }
    if (output == null) {
      return new OutgoingResponse(200, Map.of(), new byte[0]);
    }
    return OutgoingResponse.json(200, output instanceof String s ? Json.MAPPER.valueToTree(s) : output);
  }

  private static OutgoingResponse fromParts(int status, Map<String, String> headers,
                                            Map<String, List<String>> multiValue, List<String> cookies,
                                            String body, boolean base64) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    if (multiValue != null) {
      multiValue.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
    }
    if (headers != null) {
      headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(v))));
    }
    if (cookies != null && !cookies.isEmpty()) {
      h.computeIfAbsent("set-cookie", k -> new ArrayList<>()).addAll(cookies);
    }
    byte[] bytes = body == null ? new byte[0]
        : base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    return new OutgoingResponse(status == 0 ? 200 : status, h, bytes);
  }

  private static Map<String, String> strings(Object v) {
    Map<String, String> out = new LinkedHashMap<>();
    Yamls.map(v).forEach((k, x) -> out.put(k, String.valueOf(x)));
    return out;
  }

  private static Map<String, List<String>> multi(Object v) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Yamls.map(v).forEach((k, x) -> out.put(k, Yamls.list(x).stream().map(String::valueOf).toList()));
    return out;
  }
}

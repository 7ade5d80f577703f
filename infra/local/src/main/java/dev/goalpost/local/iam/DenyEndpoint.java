package dev.goalpost.local.iam;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Where a denied request goes instead of the emulator: a tiny in-JVM HTTP server that answers with the
 * service's own AccessDenied error (status, headers, body in the service's protocol), so the SDK unmarshalls
 * it into the exception the handler would get on AWS and the request never reaches the emulator.
 *
 * <ul>
 *   <li>DynamoDB (JSON 1.0): 400 {@code com.amazon.coral.service#AccessDeniedException};</li>
 *   <li>SQS (JSON 1.0, query-compatible): 403 with {@code x-amzn-query-error: AccessDenied;Sender}, so the SDK's
 *       error code is the query protocol's {@code AccessDenied};</li>
 *   <li>EventBridge, SSM and other JSON 1.1 services: 400 {@code AccessDeniedException};</li>
 *   <li>Pinpoint, Scheduler (REST JSON): 403 {@code x-amzn-ErrorType: AccessDeniedException};</li>
 *   <li>End User Messaging SMS v2 (JSON 1.0): 400 {@code __type: AccessDeniedException};</li>
 *   <li>SNS (query XML): 403 {@code AuthorizationError}.</li>
 * </ul>
 */
final class DenyEndpoint {
  private static final Map<String, Denial> PENDING = new ConcurrentHashMap<>();
  private static volatile HttpServer server;

  private DenyEndpoint() {}

  /** {@code request}, sent to this endpoint instead, where it will be answered with {@code denial}. */
  static SdkHttpRequest redirect(SdkHttpRequest request, String token, Denial denial) {
    PENDING.put(token, denial);
    return request.toBuilder().protocol("http").host("127.0.0.1").port(port()).encodedPath("/deny/" + token).build();
  }

  static String newToken() {
    return UUID.randomUUID().toString();
  }

  static void forget(String token) {
    PENDING.remove(token);
  }

  private static int port() {
    HttpServer s = server;
    if (s == null) {
      synchronized (DenyEndpoint.class) {
        if (server == null) {
          server = start();
        }
        s = server;
      }
    }
    return s.getAddress().getPort();
  }

  /** Started from a daemon thread, so its dispatcher thread is a daemon too and never keeps the JVM alive. */
  private static HttpServer start() {
    HttpServer[] out = new HttpServer[1];
    RuntimeException[] failure = new RuntimeException[1];
    Thread t = Thread.ofPlatform().daemon().name("iam-deny-start").start(() -> {
      try {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/deny/", DenyEndpoint::answer);
        s.start();
        out[0] = s;
      } catch (IOException e) {
        failure[0] = new UncheckedIOException("Cannot start the IAM deny endpoint", e);
      }
    });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted starting the IAM deny endpoint", e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return out[0];
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      String token = exchange.getRequestURI().getPath().substring("/deny/".length());
      Denial d = PENDING.get(token);
      String requestId = UUID.randomUUID().toString();
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
      if (d == null) {
        send(exchange, 500, "application/x-amz-json-1.1", "{\"__type\":\"InternalFailure\",\"message\":\"unknown denial\"}");
        return;
      }
      String message = d.message();
      switch (d.service()) {
        case "dynamodb" -> send(exchange, 400, "application/x-amz-json-1.0",
            json("__type", "com.amazon.coral.service#AccessDeniedException", "message", message));
        case "sqs" -> {
          exchange.getResponseHeaders().set("x-amzn-query-error", "AccessDenied;Sender");
          send(exchange, 403, "application/x-amz-json-1.0",
              json("__type", "com.amazon.coral.service#AccessDeniedException", "message", message));
        }
        case "sms-voice" -> send(exchange, 400, "application/x-amz-json-1.0",
            json("__type", "AccessDeniedException", "Message", message));
        case "mobiletargeting", "scheduler", "lambda" -> {
          exchange.getResponseHeaders().set("x-amzn-ErrorType", "AccessDeniedException");
          send(exchange, 403, "application/json", json("message", message, "Message", message));
        }
        case "sns" -> send(exchange, 403, "text/xml", "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
            + "<Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>" + xml(message) + "</Message></Error>"
            + "<RequestId>" + requestId + "</RequestId></ErrorResponse>");
        default -> send(exchange, 400, "application/x-amz-json-1.1",
            json("__type", "AccessDeniedException", "message", message));
      }
    }
  }

  private static String json(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Json.write(m);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

package dev.goalpost.local.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.goalpost.local.auth.JwtAuthorizer;
import dev.goalpost.local.functions.FunctionRegistry;
import dev.goalpost.local.functions.HostedFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP API on a local port, in API Gateway's order: {@code /_local} routes; CORS preflight; route
 * selection (404 {@code {"message":"Not Found"}}); the route's JWT authorizer (401 before any function runs:
 * API Gateway's {@code {"message":"Unauthorized"}} plus, locally only, a problem+json reason); then the function, whose response is
 * mapped back (500 {@code {"message":"Internal Server Error"}} if it throws). GET requests that match no route
 * may be the web console's files ({@link WebConsole}), which the deployed stack serves from CloudFront.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HttpApiServer.class.getName());

  private final RouteTable routes;
  private final FunctionRegistry functions;
  private final JwtAuthorizer authorizer;
  private final ApiEventFactory events;
  private final Cors cors;
  private final LocalEndpoints local;
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile WebConsole console;

  /** {@code server} is bound but not started (the caller needs its port before it can build the issuer). */
  public HttpApiServer(HttpServer server, RouteTable routes, FunctionRegistry functions, JwtAuthorizer authorizer,
                       ApiEventFactory events, Cors cors, LocalEndpoints local) {
    this.routes = routes;
    this.functions = functions;
    this.authorizer = authorizer;
    this.events = events;
    this.cors = cors;
    this.local = local;
    this.server = server;
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "http-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
  }

  /** Serves the web console for GET requests no API route matches (as CloudFront does in front of S3). */
  public void serveConsole(WebConsole webConsole) {
    this.console = webConsole;
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void exchange(HttpExchange ex) {
    long start = System.nanoTime();
    OutgoingResponse response;
    IncomingRequest req = null;
    try {
      req = read(ex);
      response = handle(req);
    } catch (RuntimeException | IOException e) {
      LOG.log(Level.SEVERE, "Local HTTP API failed on " + ex.getRequestURI(), e);
      response = OutgoingResponse.gatewayError(500, "Internal Server Error");
    }
    write(ex, response);
    if (req != null && !req.rawPath().startsWith(LocalEndpoints.PREFIX)) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      int status = response.status();
      String path = req.rawPath();
      String method = req.method();
      LOG.info(() -> method + " " + path + " -> " + status + " (" + ms + " ms)");
    }
  }

  /** Everything but the socket work, in API Gateway's order. */
  OutgoingResponse handle(IncomingRequest req) {
    if (req.rawPath().startsWith(LocalEndpoints.PREFIX)) {
      return local.handle(req);
    }
    if (cors.isPreflight(req)) {
      return new OutgoingResponse(204, Map.of(), new byte[0]).withHeaders(cors.preflightHeaders(req));
    }
    var match = routes.match(req.method(), req.rawPath());
    if (match.isEmpty()) {
      WebConsole web = console;
      if (web != null) {
        var file = web.serve(req);
        if (file.isPresent()) {
          return file.get();
        }
      }
      return OutgoingResponse.gatewayError(404, "Not Found").withHeaders(cors.responseHeaders(req));
    }
    HttpRoute route = match.get().route();
    Map<String, String> claims = null;
    List<String> scopes = null;
    if (route.authorizer() != null) {
      switch (authorizer.authorize(req.header("authorization").orElse(null))) {
        case JwtAuthorizer.Denied d -> {
          LOG.info(() -> req.method() + " " + req.rawPath() + " -> 401: " + d.reason());
          return OutgoingResponse.unauthorized(d.code(), d.reason())
              .withHeaders(Map.of("www-authenticate", "Bearer error=\"invalid_token\""))
              .withHeaders(cors.responseHeaders(req));
        }
        case JwtAuthorizer.Allowed a -> {
          claims = a.claims();
          scopes = a.scopes();
        }
      }
    }
    HostedFunction fn = functions.function(route.functionId()).orElse(null);
    if (fn == null) {
      LOG.warning(() -> route.routeKey() + ": function " + route.functionId() + " is not running: "
          + functions.unavailableReason(route.functionId()).orElse("unknown"));
      return OutgoingResponse.gatewayError(500, "Internal Server Error").withHeaders(cors.responseHeaders(req));
    }
    APIGatewayV2HTTPEvent event = events.build(req, match.get(), claims, scopes);
    OutgoingResponse response;
    try {
      response = ResponseMapper.map(fn.invoke(event));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, route.functionId() + " threw on " + route.routeKey(), e);
      response = OutgoingResponse.gatewayError(500, "Internal Server Error");
    }
    return response.withHeaders(cors.responseHeaders(req));
  }

  private static IncomingRequest read(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    String rawPath = ex.getRequestURI().getRawPath();
    return new IncomingRequest(ex.getRequestMethod(), rawPath == null || rawPath.isEmpty() ? "/" : rawPath,
        ex.getRequestURI().getRawQuery(), headers, body, ex.getRemoteAddress().getAddress().getHostAddress(),
        ex.getProtocol());
  }

  private static void write(HttpExchange ex, OutgoingResponse r) {
    try (ex) {
      r.headers().forEach((k, values) -> values.forEach(v -> ex.getResponseHeaders().add(k, v)));
      boolean noBody = r.body().length == 0 || r.status() == 204 || r.status() == 304 || ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.status(), noBody ? -1 : r.body().length);
      if (!noBody) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body());
        }
      }
    } catch (IOException e) {
      LOG.fine(() -> "Client went away: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package dev.goalpost.local.http;

import dev.goalpost.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The web console ({@code web/} at the repository root) served at the local API's origin, the way CloudFront
 * serves it from S3 when deployed: static files for {@code GET}/{@code HEAD} requests that no API route
 * matches, and a generated {@code /config.json} (API base URL, how to sign in). Locally the console and the API
 * share one origin, so no CORS is involved.
 *
 * <p>Only the console's own files are served: {@code index.html}, {@code styles.css} and what is under
 * {@code src/} and {@code assets/}; never {@code node_modules}, tests, dot files or anything outside the folder.
 */
public final class WebConsole {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("txt", "text/plain; charset=utf-8"));
  private static final Set<String> TOP_LEVEL_FILES = Set.of("index.html", "styles.css");
  private static final Set<String> FOLDERS = Set.of("src", "assets");

  /** A user the local sign-in screen offers: the demo org's people ({@code --demo} seeds them). */
  public record DemoUser(String userId, String name, String label, boolean admin) {}

  private final Path root;
  private final byte[] config;

  public WebConsole(Path root, String orgId, List<DemoUser> demoUsers) {
    this.root = root.toAbsolutePath().normalize();
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("mode", "local");
    auth.put("tokenEndpoint", "/_local/token");
    auth.put("orgId", orgId);
    auth.put("demoUsers", demoUsers);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("apiBaseUrl", ""); // same origin
    cfg.put("auth", auth);
    this.config = Json.write(cfg).getBytes(StandardCharsets.UTF_8);
  }

  /** The console next to the template, if the checkout has one ({@code <repo>/web/index.html}). */
  public static Optional<Path> besideTemplate(Path template) {
    Path web = template.toAbsolutePath().normalize().getParent().resolve("web");
    return Files.isRegularFile(web.resolve("index.html")) ? Optional.of(web) : Optional.empty();
  }

  /** The file for a GET/HEAD request no API route matched, or empty (the caller answers API Gateway's 404). */
  public Optional<OutgoingResponse> serve(IncomingRequest req) {
    if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
      return Optional.empty();
    }
    String path = req.rawPath();
    if (path.equals("/config.json")) {
      return Optional.of(response("application/json", config, "no-store"));
    }
    String relative = path.equals("/") ? "index.html" : path.substring(1);
    if (relative.contains("%") || relative.contains("\\") || !allowed(relative)) {
      return Optional.empty();
    }
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String ext = relative.substring(relative.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.get(ext);
    if (type == null) {
      return Optional.empty();
    }
    try {
      // no-cache: the browser revalidates, so an edited file shows on reload (there is no build step).
      return Optional.of(response(type, Files.readAllBytes(file), "no-cache"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean allowed(String relative) {
    String[] parts = relative.split("/");
    for (String p : parts) {
      if (p.isEmpty() || p.startsWith(".") || p.equals("node_modules")) {
        return false;
      }
    }
    return parts.length == 1 ? TOP_LEVEL_FILES.contains(parts[0]) : FOLDERS.contains(parts[0]);
  }

  private static OutgoingResponse response(String type, byte[] body, String cache) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("content-type", List.of(type));
    h.put("cache-control", List.of(cache));
    h.put("x-content-type-options", List.of("nosniff"));
    return new OutgoingResponse(200, h, body);
  }
}

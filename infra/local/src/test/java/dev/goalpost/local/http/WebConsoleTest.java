package dev.goalpost.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConsoleTest {
  @TempDir Path dir;

  private static IncomingRequest get(String path) {
    return new IncomingRequest("GET", path, null, Map.of(), new byte[0], "127.0.0.1", "HTTP/1.1");
  }

  private WebConsole console() throws Exception {
    Path web = Files.createDirectories(dir.resolve("web"));
    Files.writeString(web.resolve("index.html"), "<!doctype html>");
    Files.writeString(web.resolve("package.json"), "{}");
    Files.createDirectories(web.resolve("src"));
    Files.writeString(web.resolve("src/app.js"), "export {}");
    Files.createDirectories(web.resolve("node_modules/x"));
    Files.writeString(web.resolve("node_modules/x/index.js"), "secret");
    Files.writeString(dir.resolve("outside.js"), "outside");
    return new WebConsole(web, "org-demo", List.of(new WebConsole.DemoUser("admin-ana", "Ana Alvarez", "org admin", true)));
  }

  @Test
  void servesTheConsolesFilesWithTheirTypesAndTheGeneratedConfig() throws Exception {
    WebConsole c = console();
    assertThat(c.serve(get("/")).orElseThrow().headers().get("content-type")).containsExactly("text/html; charset=utf-8");
    assertThat(new String(c.serve(get("/src/app.js")).orElseThrow().body(), StandardCharsets.UTF_8)).isEqualTo("export {}");
    assertThat(c.serve(get("/src/app.js")).orElseThrow().headers().get("content-type")).containsExactly("text/javascript; charset=utf-8");
    assertThat(new String(c.serve(get("/config.json")).orElseThrow().body(), StandardCharsets.UTF_8))
        .contains("\"mode\":\"local\"", "\"tokenEndpoint\":\"/_local/token\"", "\"userId\":\"admin-ana\"");
  }

  @Test
  void neverServesPackagesTestsDotFilesOrAnythingOutsideTheFolder() throws Exception {
    WebConsole c = console();
    for (String path : List.of("/package.json", "/node_modules/x/index.js", "/src/../package.json", "/src/../../outside.js",
        "/src/%2e%2e/package.json", "/.git/config", "/src//app.js", "/src/missing.js")) {
      assertThat(c.serve(get(path))).as(path).isEmpty();
    }
    IncomingRequest post = new IncomingRequest("POST", "/", null, Map.of(), new byte[0], "127.0.0.1", "HTTP/1.1");
    assertThat(c.serve(post)).isEmpty();
  }
}

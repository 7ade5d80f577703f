package dev.goalpost.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.goalpost.local.template.CfnYaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The API contract as a document: valid OpenAPI 3.1, every schema valid JSON Schema 2020-12, every
 * {@code $ref} resolvable, and its operations exactly the HTTP API routes template.yaml deploys — so a route
 * added to the template without documentation fails the build. (That every documented answer is what the
 * handlers really say is {@link ApiContractIT}'s job.)
 */
class OpenApiDocumentTest {
  private final OpenApiContract contract = OpenApiContract.shared();
  private final JsonNode doc = contract.document();

  @Test
  void isValidOpenApi31() throws Exception {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser()
        .readContents(Files.readString(OpenApiContract.documentPath()), null, options);
    OpenAPI api = result.getOpenAPI();

    assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
    assertThat(api).isNotNull();
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(api.getPaths()).isNotEmpty();
  }

  @Test
  void everySchemaIsAValidJsonSchema202012() {
    Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(SchemaLocation.of(OpenApiContract.DIALECT));
    Map<String, List<String>> invalid = new TreeMap<>();
    forEachSchema(doc, "", (pointer, schema) -> {
      List<Error> errors = meta.validate(schema);
      if (!errors.isEmpty()) {
        invalid.put(pointer, errors.stream().map(Error::toString).toList());
      }
    });
    assertThat(invalid).isEmpty();
  }

  @Test
  void everyRefResolves() {
    List<String> broken = new ArrayList<>();
    walk(doc, "", (pointer, node) -> {
      if (node.has("$ref") && node.get("$ref").isTextual()) {
        String ref = node.get("$ref").asText();
        if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
          broken.add(pointer + " → " + ref);
        }
      }
    });
    assertThat(broken).isEmpty();
  }

  @Test
  void documentsExactlyTheHttpApiRoutesOfTheTemplate() throws Exception {
    Set<String> deployed = templateRoutes();
    Set<String> documented = contract.operationKeys();

    assertThat(deployed).as("template.yaml declares HttpApi routes").isNotEmpty();
    Set<String> undocumented = new TreeSet<>(deployed);
    undocumented.removeAll(documented);
    Set<String> notDeployed = new TreeSet<>(documented);
    notDeployed.removeAll(deployed);
    assertThat(undocumented).as("routes of template.yaml missing from openapi.yaml").isEmpty();
    assertThat(notDeployed).as("operations of openapi.yaml that template.yaml does not deploy").isEmpty();
  }

  @Test
  void everyOperationIsDescribedForTheFrontend() {
    Set<String> ids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (OpenApiContract.Operation op : contract.operations()) {
      JsonNode n = op.node();
      String id = n.path("operationId").asText("");
      if (id.isEmpty() || !ids.add(id)) {
        problems.add(op.key() + ": missing or repeated operationId '" + id + "'");
      }
      for (String field : List.of("summary", "description")) {
        if (n.path(field).asText("").isBlank()) {
          problems.add(op.key() + ": no " + field);
        }
      }
      if (!n.path("tags").isArray() || n.path("tags").isEmpty()) {
        problems.add(op.key() + ": no tag");
      }
      List<String> codes = new ArrayList<>();
      n.path("responses").fieldNames().forEachRemaining(codes::add);
      if (codes.stream().noneMatch(c -> c.startsWith("2"))) {
        problems.add(op.key() + ": no 2xx response");
      }
      for (String code : codes) {
        JsonNode r = contract.resolve(n.path("responses").path(code));
        if (code.startsWith("4") && !code.equals("401")
            && !r.path("content").path("application/problem+json").path("schema").path("$ref").asText()
                .equals("#/components/schemas/Problem")) {
          problems.add(op.key() + " " + code + ": errors must be application/problem+json with the shared Problem schema");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void pathParametersAreDeclaredExactly() {
    List<String> problems = new ArrayList<>();
    Pattern param = Pattern.compile("\\{([^}]+)}");
    doc.path("paths").fields().forEachRemaining(p -> {
      Set<String> inPath = new LinkedHashSet<>();
      Matcher m = param.matcher(p.getKey());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      Set<String> shared = pathParams(p.getValue().path("parameters"));
      p.getValue().fields().forEachRemaining(e -> {
        if (!OpenApiContract.METHODS.contains(e.getKey())) {
          return;
        }
        Set<String> declared = new LinkedHashSet<>(shared);
        declared.addAll(pathParams(e.getValue().path("parameters")));
        if (!declared.equals(inPath)) {
          problems.add(e.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey() + ": declares " + declared
              + " for path parameters " + inPath);
        }
      });
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void bearerJwtEverywhereButTheSignedCarrierWebhooks() {
    assertThat(doc.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
    assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    assertThat(doc.at("/components/securitySchemes/bearer/bearerFormat").asText()).isEqualTo("JWT");
    assertThat(doc.path("security").toString()).isEqualTo("[{\"bearer\":[]}]");
    for (OpenApiContract.Operation op : contract.operations()) {
      JsonNode security = op.node().path("security");
      if (op.path().startsWith("/webhooks/")) {
        assertThat(security.isArray() && security.isEmpty()).as(op.key() + " has security: []").isTrue();
      } else {
        assertThat(security.isMissingNode()).as(op.key() + " inherits the global bearer security").isTrue();
        assertThat(op.node().path("responses").has("401")).as(op.key() + " documents 401").isTrue();
      }
    }
  }

  @Test
  void theDocumentShipsWithTheFunctions() {
    // sam build packages functions/ (src/main/resources included): a docs route can serve it from the jar.
    assertThat(OpenApiDocumentTest.class.getClassLoader().getResource("openapi.yaml"))
        .as("openapi.yaml on the functions' class path").isNotNull();
  }

  // ------------------------------------------------------------------ helpers

  /** "METHOD /path" of every HttpApi event of every function in template.yaml; /_local/* excluded. */
  static Set<String> templateRoutes() throws Exception {
    Map<String, Object> template = CfnYaml.read(OpenApiContract.templatePath());
    Set<String> routes = new TreeSet<>();
    Map<?, ?> resources = (Map<?, ?>) template.get("Resources");
    resources.values().forEach(r -> {
      Map<?, ?> resource = (Map<?, ?>) r;
      Object props = resource.get("Properties");
      if (!(props instanceof Map<?, ?> properties) || !(properties.get("Events") instanceof Map<?, ?> events)) {
        return;
      }
      events.values().forEach(e -> {
        Map<?, ?> event = (Map<?, ?>) e;
        if (!"HttpApi".equals(event.get("Type"))) {
          return;
        }
        Map<?, ?> p = (Map<?, ?>) event.get("Properties");
        String path = String.valueOf(p.get("Path"));
        String method = String.valueOf(p.get("Method")).toUpperCase(Locale.ROOT);
        if (!path.startsWith("/_local")) {
          routes.add(method + " " + path);
        }
      });
    });
    return routes;
  }

  private static Set<String> pathParams(JsonNode parameters) {
    Set<String> out = new LinkedHashSet<>();
    parameters.forEach(p -> {
      JsonNode resolved = OpenApiContract.shared().resolve(p);
      if ("path".equals(resolved.path("in").asText())) {
        out.add(resolved.path("name").asText());
      }
    });
    return out;
  }

  private interface Visitor {
    void visit(String pointer, JsonNode node);
  }

  private static void walk(JsonNode node, String pointer, Visitor v) {
    if (node.isObject()) {
      v.visit(pointer, node);
      node.fields().forEachRemaining(e -> walk(e.getValue(), pointer + "/" + OpenApiContract.escape(e.getKey()), v));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), pointer + "/" + i, v);
      }
    }
  }

  /** Every schema of the document: components.schemas and each schema under paths (media types, parameters). */
  private static void forEachSchema(JsonNode doc, String unused, Visitor v) {
    doc.path("components").path("schemas").fields().forEachRemaining(e ->
        v.visit("/components/schemas/" + e.getKey(), e.getValue()));
    walk(doc.path("paths"), "/paths", (pointer, node) -> {
      if (node.has("schema") && node.get("schema").isObject()) {
        v.visit(pointer + "/schema", node.get("schema"));
      }
    });
    walk(doc.path("components").path("parameters"), "/components/parameters", (pointer, node) -> {
      if (node.has("schema") && node.get("schema").isObject()) {
        v.visit(pointer + "/schema", node.get("schema"));
      }
    });
  }
}

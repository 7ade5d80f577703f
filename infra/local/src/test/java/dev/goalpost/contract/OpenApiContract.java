package dev.goalpost.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.goalpost.local.ApiClient;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API contract ({@code functions/src/main/resources/openapi.yaml}) as the contract tests use it: its
 * operations, and JSON Schema 2020-12 validation of real requests and responses against the schemas it
 * documents for them ({@code $ref}s resolved inside the document).
 *
 * <p>Responses are validated <em>strictly</em>: every object schema that lists {@code properties} and says
 * nothing about extra ones gets {@code unevaluatedProperties: false} for the test, so a field a handler adds
 * without documenting it fails here. The document itself stays open (clients must ignore unknown fields).
 * Requests are validated as documented.
 *
 * <p>Every checked response is recorded, so a test can assert that each operation was exercised.
 */
public final class OpenApiContract {
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  private static volatile OpenApiContract shared;

  private final JsonNode doc;
  private final JsonNode strictComponents;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  /** "METHOD /template" → statuses seen, and whether a problem+json error was seen. */
  private final Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();
  private final Set<String> problemSeen = ConcurrentHashMap.newKeySet();

  private OpenApiContract(JsonNode doc) {
    this.doc = doc;
    this.strictComponents = strict(doc.path("components").deepCopy());
    // 2020-12, plus "components" known as a place schemas live (the wrapper of each checked schema carries the
    // document's components so that its "#/components/schemas/..." refs resolve), so it is not an unknown keyword.
    Dialect dialect = Dialect.builder(Dialects.getDraft202012())
        .keyword(new NonValidationKeyword("components")).build();
    this.registry = SchemaRegistry.withDefaultDialect(dialect,
        b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** The one contract of this test JVM (its coverage is shared by every test class). */
  public static OpenApiContract shared() {
    OpenApiContract c = shared;
    if (c == null) {
      synchronized (OpenApiContract.class) {
        if (shared == null) {
          shared = new OpenApiContract(read(documentPath()));
        }
        c = shared;
      }
    }
    return c;
  }

  /** The document in the source tree (the one `sam build` ships in the functions' jar). */
  public static Path documentPath() {
    String configured = System.getProperty("goalpost.openapi");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of("../../functions/src/main/resources/openapi.yaml");
  }

  public static Path templatePath() {
    return Path.of("../../template.yaml");
  }

  static JsonNode read(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.toAbsolutePath(), e);
    }
  }

  public JsonNode document() {
    return doc;
  }

  // ------------------------------------------------------------------ operations

  /** An operation: its method, path template and node. */
  public record Operation(String method, String path, JsonNode node) {
    public String key() {
      return method.toUpperCase(Locale.ROOT) + " " + path;
    }
  }

  public List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
      if (METHODS.contains(m.getKey())) {
        out.add(new Operation(m.getKey(), p.getKey(), m.getValue()));
      }
    }));
    return out;
  }

  public Set<String> operationKeys() {
    Set<String> keys = new TreeSet<>();
    operations().forEach(o -> keys.add(o.key()));
    return keys;
  }

  /** The operation a concrete request path hits: the template matching it with the most literal segments. */
  public Optional<Operation> find(String method, String concretePath) {
    String path = concretePath.contains("?") ? concretePath.substring(0, concretePath.indexOf('?')) : concretePath;
    String[] actual = path.split("/", -1);
    return operations().stream()
        .filter(o -> o.method().equalsIgnoreCase(method))
        .filter(o -> matches(o.path().split("/", -1), actual))
        .max(Comparator.comparingInt(o -> literalSegments(o.path())));
  }

  private static boolean matches(String[] template, String[] actual) {
    if (template.length != actual.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean param = template[i].startsWith("{") && template[i].endsWith("}");
      if (param ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  private static int literalSegments(String template) {
    int n = 0;
    for (String s : template.split("/")) {
      if (!s.startsWith("{")) {
        n++;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ validation

  /**
   * Asserts that {@code reply} is what the document promises for {@code method path}: the operation exists,
   * the status is documented, the media type is one documented for that status, and the body validates
   * (strictly) against that media type's schema. Returns the reply for chaining.
   */
  public ApiClient.Reply check(String method, String path, ApiClient.Reply reply) {
    Operation op = find(method, path).orElseThrow(() -> new AssertionError(
        "The contract documents no operation for " + method + " " + path));
    String where = op.key() + " (" + path + ") answered " + reply.status();
    seen.computeIfAbsent(op.key(), k -> ConcurrentHashMap.newKeySet()).add(reply.status());
    JsonNode response = resolve(op.node().path("responses").path(String.valueOf(reply.status())));
    if (response.isMissingNode()) {
      throw new AssertionError(where + ", which the contract does not document (documented: "
          + fieldNames(op.node().path("responses")) + "); body: " + reply.text());
    }
    JsonNode content = response.path("content");
    String mediaType = Optional.ofNullable(reply.header("content-type"))
        .map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse(null);
    if (content.isMissingNode() || content.isEmpty()) {
      if (reply.text() != null && !reply.text().isEmpty()) {
        throw new AssertionError(where + " with a body, but the contract documents none: " + reply.text());
      }
      return reply;
    }
    if (mediaType == null || !content.has(mediaType)) {
      throw new AssertionError(where + " as " + mediaType + ", but the contract documents "
          + fieldNames(content) + "; body: " + reply.text());
    }
    if ("application/problem+json".equals(mediaType)) {
      problemSeen.add(op.key());
    }
    String pointer = "/paths/" + escape(op.path()) + "/" + op.method() + "/responses/" + reply.status()
        + "/content/" + escape(mediaType) + "/schema";
    JsonNode schemaNode = content.path(mediaType).path("schema");
    JsonNode instance = mediaType.endsWith("json") ? reply.json() : JsonNodeFactory.instance.textNode(reply.text());
    List<Error> errors = schema(pointer, schemaNode, true).validate(instance);
    if (!errors.isEmpty()) {
      throw new AssertionError(where + ": the body does not match the documented schema (" + pointer + "):\n  "
          + String.join("\n  ", errors.stream().map(Error::toString).toList()) + "\nbody: " + reply.text());
    }
    return reply;
  }

  /** Asserts that a request body we send is one the document accepts (as documented, not strictly). */
  public void checkRequest(String method, String path, String mediaType, Object body) {
    Operation op = find(method, path).orElseThrow(() -> new AssertionError(
        "The contract documents no operation for " + method + " " + path));
    JsonNode requestBody = resolve(op.node().path("requestBody"));
    JsonNode schemaNode = requestBody.path("content").path(mediaType).path("schema");
    if (schemaNode.isMissingNode()) {
      throw new AssertionError(op.key() + " documents no " + mediaType + " request body");
    }
    String pointer = "/paths/" + escape(op.path()) + "/" + op.method() + "/requestBody/content/" + escape(mediaType)
        + "/schema";
    JsonNode instance = body instanceof JsonNode n ? n : Json.MAPPER.valueToTree(body);
    List<Error> errors = schema(pointer, schemaNode, false).validate(instance);
    if (!errors.isEmpty()) {
      throw new AssertionError(op.key() + ": the request body does not match the documented schema:\n  "
          + String.join("\n  ", errors.stream().map(Error::toString).toList()) + "\nbody: " + instance);
    }
  }

  /** A schema of the document, compiled once: the node plus the (strict or documented) components. */
  Schema schema(String pointer, JsonNode schemaNode, boolean strict) {
    return schemas.computeIfAbsent((strict ? "strict:" : "doc:") + pointer, k -> {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("$schema", DIALECT);
      JsonNode own = strict ? strict(schemaNode.deepCopy()) : schemaNode;
      if (own.isObject()) {
        root.setAll((ObjectNode) own.deepCopy());
      } else {
        root.set("allOf", JsonNodeFactory.instance.arrayNode().add(own));
      }
      root.set("components", strict ? strictComponents : doc.path("components"));
      return registry.getSchema(root);
    });
  }

  /** Follows a {@code $ref} to a component (responses, parameters, request bodies); other nodes as they are. */
  public JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    for (int i = 0; i < 10 && n.has("$ref"); i++) {
      String ref = n.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new AssertionError("Only local $refs are used in the contract: " + ref);
      }
      n = doc.at(ref.substring(1));
      if (n.isMissingNode()) {
        throw new AssertionError("Unresolvable $ref " + ref);
      }
    }
    return n;
  }

  /** Adds {@code unevaluatedProperties: false} to every object schema that lists properties and nothing more. */
  static JsonNode strict(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.path("properties").isObject() && !o.has("additionalProperties") && !o.has("unevaluatedProperties")
          && !o.has("patternProperties")) {
        o.put("unevaluatedProperties", false);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        strict(it.next().getValue());
      }
    } else if (node.isArray()) {
      node.forEach(OpenApiContract::strict);
    }
    return node;
  }

  static String escape(String s) {
    return s.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  // ------------------------------------------------------------------ coverage

  /** Statuses each operation answered in checked calls so far. */
  public Map<String, Set<Integer>> seen() {
    Map<String, Set<Integer>> out = new TreeMap<>();
    seen.forEach((k, v) -> out.put(k, new TreeSet<>(v)));
    return out;
  }

  /**
   * What is missing for "every operation was called for real, with a success and with an error": per
   * operation, no 2xx seen; no error seen; or, when the operation documents problem+json errors other than
   * 401, none seen as problem+json.
   */
  public Map<String, String> gaps() {
    Map<String, String> out = new TreeMap<>();
    for (Operation op : operations()) {
      Set<Integer> statuses = seen.getOrDefault(op.key(), Set.of());
      List<String> missing = new ArrayList<>();
      if (statuses.stream().noneMatch(s -> s >= 200 && s < 300)) {
        missing.add("no 2xx");
      }
      if (statuses.stream().noneMatch(s -> s >= 400)) {
        missing.add("no error");
      }
      if (documentsProblemsBeyond401(op) && !problemSeen.contains(op.key())) {
        missing.add("no problem+json error");
      }
      if (!missing.isEmpty()) {
        out.put(op.key(), String.join(", ", missing) + " (seen " + new TreeSet<>(statuses) + ")");
      }
    }
    return out;
  }

  private boolean documentsProblemsBeyond401(Operation op) {
    Map<String, JsonNode> responses = new LinkedHashMap<>();
    op.node().path("responses").fields().forEachRemaining(e -> responses.put(e.getKey(), resolve(e.getValue())));
    return responses.entrySet().stream().anyMatch(e -> !e.getKey().equals("401")
        && e.getValue().path("content").has("application/problem+json"));
  }
}

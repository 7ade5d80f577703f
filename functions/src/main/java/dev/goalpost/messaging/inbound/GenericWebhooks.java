package dev.goalpost.messaging.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.goalpost.platform.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads our generic JSON webhook (for carriers other than Twilio; signed per {@link GenericSignature}):
 * <pre>
 * {"id": "msg-1", "from": "+15125550123", "to": "+15125550100", "body": "Hi!", "media": ["https://…"]}
 * </pre>
 * <ul>
 *   <li>{@code id}: the carrier's message id, required; letters, digits and . _ : - up to 128 characters. We
 *       drop a repeat of an id we already stored, so a retry is safe.
 *   <li>{@code from}: the contact's phone, {@code to}: our number; E.164 strings, required.
 *   <li>{@code body}: a string up to 1600 characters, required; "" for a media-only message.
 *   <li>{@code media}: optional (absent or null means none); an array of at most 10 https URL strings.
 * </ul>
 * Anything else is refused naming the field: not JSON, not an object, a field of the wrong type, a duplicate
 * or unknown field (so a misspelled {@code "medias"} is an error, not silently lost attachments).
 */
public final class GenericWebhooks {
  public static final String PROVIDER = "generic";

  private static final Set<String> FIELDS = Set.of("id", "from", "to", "body", "media");
  /**
   * Duplicate keys and anything after the object are refused: two readers of one signed body must never see
   * different messages.
   */
  private static final ObjectReader READER = Json.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private GenericWebhooks() {}

  public static InboundSms message(String json) throws MalformedWebhook {
    if (json == null || json.isBlank()) {
      throw new MalformedWebhook("body", "is required (a JSON object with id, from, to, body)");
    }
    JsonNode root;
    try {
      root = READER.readTree(json);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new MalformedWebhook("body", "is not valid JSON" + (at == null ? ""
          : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": " + Fields.quote(String.valueOf(e.getOriginalMessage()), 200));
    } catch (java.io.IOException e) {
      throw new MalformedWebhook("body", "is not valid JSON");
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new MalformedWebhook("body", "must be a JSON object with id, from, to, body");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        // A blank name is shown quoted so the error still names it.
        throw new MalformedWebhook(name.isBlank() ? "\"" + name + "\"" : Fields.quote(name),
            "is not a field of this webhook (expected id, from, to, body, media)");
      }
    }
    String id = Fields.id("id", string(root, "id"));
    String from = Fields.phone("from", string(root, "from"));
    String to = Fields.phone("to", string(root, "to"));
    String body = Fields.body("body", string(root, "body"));
    List<String> media = media(root.get("media"));
    return new InboundSms(PROVIDER, id, from, to, body, media.size(), media);
  }

  private static String string(JsonNode root, String field) throws MalformedWebhook {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new MalformedWebhook(field, "is required");
    }
    if (!node.isTextual()) {
      throw new MalformedWebhook(field, "must be a string, got " + kind(node));
    }
    return node.textValue();
  }

  private static List<String> media(JsonNode node) throws MalformedWebhook {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new MalformedWebhook("media", "must be an array of https URL strings, got " + kind(node));
    }
    if (node.size() > Fields.MAX_MEDIA) {
      throw new MalformedWebhook("media", "may hold at most " + Fields.MAX_MEDIA + " URLs, got " + node.size());
    }
    List<String> urls = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode url = node.get(i);
      String field = "media[" + i + "]";
      if (!url.isTextual()) {
        throw new MalformedWebhook(field, "must be an https URL string, got " + kind(url));
      }
      urls.add(Fields.mediaUrl(field, url.textValue()));
    }
    return urls;
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}

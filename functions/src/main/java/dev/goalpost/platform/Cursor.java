package dev.goalpost.platform;

import dev.goalpost.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors. A cursor carries only the sort-side key attributes of the last item read; the
 * partition key is always rebuilt from the caller's org and path, so a forged cursor can never reach into
 * another tenant's partition — at worst it starts the caller's own list at another place.
 */
public final class Cursor {
  private Cursor() {}

  /** Encodes the string attributes {@code names} of DynamoDB's LastEvaluatedKey, or null at the end. */
  public static String encode(Map<String, AttributeValue> lastKey, String... names) {
    if (lastKey == null || lastKey.isEmpty()) {
      return null;
    }
    Map<String, String> kept = new HashMap<>();
    for (String n : names) {
      AttributeValue v = lastKey.get(n);
      if (v != null && v.s() != null) {
        kept.put(n, v.s());
      }
    }
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Json.write(kept).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a cursor into an ExclusiveStartKey: its kept attributes plus {@code fixed} (the partition
   * attributes the server knows). A cursor that does not decode, or lacks one of {@code names}, is a 422 on
   * field {@code cursor}.
   */
  public static Optional<Map<String, AttributeValue>> decode(
      Optional<String> cursor, Map<String, AttributeValue> fixed, String... names) {
    if (cursor.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(cursor.get());
      var node = Json.read(new String(raw, StandardCharsets.UTF_8));
      Map<String, AttributeValue> key = new HashMap<>(fixed);
      for (String n : names) {
        var v = node.get(n);
        if (v == null || !v.isTextual()) {
          throw new IllegalArgumentException("missing " + n);
        }
        key.put(n, AttributeValue.fromS(v.asText()));
      }
      return Optional.of(key);
    } catch (Exception e) {
      throw ApiException.invalid("cursor", "is not a cursor this list returned; start again without it");
    }
  }
}

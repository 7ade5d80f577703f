package dev.goalpost.projections;

import dev.goalpost.platform.AttributeJson;
import dev.goalpost.platform.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One record of the table's stream as Lambda's DynamoDB event gives it: what happened ({@code INSERT},
 * {@code MODIFY}, {@code REMOVE}) to which item, the images before and after (the table's stream is
 * NEW_AND_OLD_IMAGES; an absent image is an empty map) and its sequence number, {@link #lane} padded so that
 * text order is number order within a shard.
 */
public record StreamChange(String eventName, String sequenceNumber, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> keys,
                           Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> newImage,
                           Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> oldImage) {
  /** Sequence numbers are 21 to 40 digits; left-padded to this width they compare as text. */
  static final int SEQ_WIDTH = 40;

  public StreamChange {
    newImage = newImage == null ? Map.of() : newImage;
    oldImage = oldImage == null ? Map.of() : oldImage;
  }

  public String pk() {
    return Table.str(keys, Table.PK);
  }

  public String sk() {
    return Table.str(keys, Table.SK);
  }

  public boolean insert() {
    return "INSERT".equals(eventName);
  }

  public boolean modify() {
    return "MODIFY".equals(eventName);
  }

  /** The sequence number, zero-padded to {@value #SEQ_WIDTH} digits. */
  public String lane() {
    return pad(sequenceNumber);
  }

  static String pad(String seq) {
    if (seq.length() > SEQ_WIDTH || !seq.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("Not a stream sequence number: " + seq);
    }
    return "0".repeat(SEQ_WIDTH - seq.length()) + seq;
  }

  /** The records of a Lambda DynamoDB event ({@code Records[].dynamodb}), in stream order. */
  @SuppressWarnings("unchecked")
  public static List<StreamChange> of(Map<String, Object> event) {
    List<StreamChange> out = new ArrayList<>();
    Object records = event == null ? null : event.get("Records");
    if (!(records instanceof List<?> list)) {
      return out;
    }
    for (Object r : list) {
      Map<String, Object> rec = (Map<String, Object>) r;
      Map<String, Object> d = (Map<String, Object>) rec.get("dynamodb");
      out.add(new StreamChange(String.valueOf(rec.get("eventName")), String.valueOf(d.get("SequenceNumber")),
          AttributeJson.item(d.get("Keys")), AttributeJson.item(d.get("NewImage")), AttributeJson.item(d.get("OldImage"))));
    }
    return out;
  }
}

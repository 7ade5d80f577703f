package dev.goalpost.platform;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single table's key attributes and the partitions several aggregates share. Each repository documents
 * its own items, access patterns and costs; {@code TableDesign.md} beside this class is the overview.
 */
public final class Table {
  public static final String PK = "PK";
  public static final String SK = "SK";
  public static final String GSI1 = "GSI1";
  public static final String GSI1PK = "GSI1PK";
  public static final String GSI1SK = "GSI1SK";
  /** Epoch seconds; DynamoDB TTL deletes expired lease/idempotency records. Never read for correctness. */
  public static final String EXPIRES_AT = "expiresAt";

  private final String name;

  public Table(String name) {
    this.name = name;
  }

  /** The table named by the function's {@code TABLE_NAME} variable. */
  public static Table fromEnv() {
    return new Table(Env.require("TABLE_NAME"));
  }

  public String name() {
    return name;
  }

  public static String orgPartition(String orgId) {
    return "ORG#" + orgId;
  }

  /** Everything that lives inside one group: members, contacts. */
  public static String groupPartition(String orgId, String groupId) {
    return "ORG#" + orgId + "#GROUP#" + groupId;
  }

  public static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
  }

  public static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  public static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  public static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  public static long num(Map<String, AttributeValue> item, String name, long dflt) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? dflt : Long.parseLong(v.n());
  }

  public static boolean bool(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v != null && Boolean.TRUE.equals(v.bool());
  }
}

package dev.goalpost.contacts;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Cursor;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.Update;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Contacts in the single table, one item each, in their group's partition.
 *
 * <pre>
 * item     PK                          SK                   GSI1PK / GSI1SK (only while assigned)
 * contact  ORG#{org}#GROUP#{groupId}   CONTACT#{contactId}  ORG#{org}#GROUP#{groupId}#AGENT#{agentId} / CONTACT#{contactId}
 * fields   ORG#{org}#GROUP#{groupId}   FIELDS               -      (names: string set of custom field names)
 * </pre>
 *
 * The contact id is derived from (org, group, phone) — {@link #contactId} — so an import is an upsert with no
 * lookup, retries and duplicate rows land on the same item, and the phone needs no separate uniqueness item.
 * Custom fields are top-level attributes {@code cf#<name>}, so a PATCH or import merges them without reading
 * the item, and targeting can filter on them. Tags are a string set (atomic add/remove).
 *
 * <p>Access patterns and cost (a contact item is ~0.3-1 KB):
 * <ul>
 *   <li>upsert one row: UpdateItem, 1 request, 1 WCU; an import of n rows: n requests, run 16 at a time.</li>
 *   <li>get: GetItem, 1 request, 1 RCU (strongly consistent).</li>
 *   <li>patch: UpdateItem conditioned on existence, 1 request, 1 WCU (2 when it both adds and removes tags).</li>
 *   <li>list a group: Query PK begins_with CONTACT#, 1 request per page of up to 100 (~25 RCU at 1 KB each).
 *       With tag or text filters DynamoDB still reads (and bills) every item it examines: a page reads at
 *       most {@value #MAX_READS_PER_PAGE} requests, then answers with a cursor. Pages are filled to their
 *       limit across DynamoDB pages ({@code platform/Queries#page}).</li>
 *   <li>list an agent's contacts: Query GSI1 ORG#..#AGENT#{agentId}, reads only that agent's contacts.</li>
 * </ul>
 */
public final class ContactRepository {
  static final int MAX_READS_PER_PAGE = 5;
  static final String FIELDS_SK = "FIELDS";
  static final String A_CONTACT_ID = "contactId";
  static final String A_ORG_ID = "orgId";
  static final String A_GROUP_ID = "groupId";
  static final String A_PHONE = "phone";
  static final String A_FIRST = "firstName";
  static final String A_LAST = "lastName";
  static final String A_FIRST_LC = "firstNameLc";
  static final String A_LAST_LC = "lastNameLc";
  static final String A_TAGS = "tags";
  /** The contact's IANA zone (absent when not given: the number's area decides). */
  static final String A_TIME_ZONE = "timeZone";
  static final String A_AGENT = "assignedAgentId";
  static final String A_OPTED_OUT = "optedOut";
  static final String A_OPT_OUT_SOURCE = "optOutSource";
  static final String A_DEACTIVATED = "deactivated";
  static final String A_CREATED_AT = "createdAt";
  static final String A_UPDATED_AT = "updatedAt";
  static final String A_TYPE = "type";
  static final String TYPE = "CONTACT";
  /** Prefix of custom-field attributes. */
  public static final String CUSTOM_FIELD_PREFIX = "cf#";

  private final DynamoDbClient dynamo;
  private final Table table;

  public ContactRepository(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static String contactId(String orgId, String groupId, String e164) {
    return dev.goalpost.platform.Ids.derived("ct", orgId + "|" + groupId + "|" + e164);
  }

  static String contactSk(String contactId) {
    return "CONTACT#" + contactId;
  }

  /** The contact item's key (for batched reads). */
  public static Map<String, AttributeValue> contactKey(String orgId, String groupId, String contactId) {
    return key(groupPartition(orgId, groupId), contactSk(contactId));
  }

  static String agentPartition(String orgId, String groupId, String agentId) {
    return groupPartition(orgId, groupId) + "#AGENT#" + agentId;
  }

  /** Result of one upsert: whether the item was new, its id, and the agent it was assigned to before. */
  public record Upserted(boolean created, String contactId, String previousAgentId) {}

  /** Creates or updates the contact with this phone; fields the row leaves out stay untouched. */
  /**
   * The upsert of a contact as an item of someone else's transaction (a reply from a phone the group never
   * imported creates the contact in the reply's transaction): the same attributes as {@link #upsert}.
   */
  public TransactWriteItem upsertWrite(String orgId, String groupId, String phone, ContactChanges c, Instant now) {
    String id = contactId(orgId, groupId, phone);
    Update u = upsertUpdate(orgId, groupId, phone, c, now);
    return TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
        .tableName(table.name()).key(key(groupPartition(orgId, groupId), contactSk(id)))
        .updateExpression(u.expression()).expressionAttributeNames(u.names())
        .expressionAttributeValues(u.values()).build()).build();
  }

  private static Update upsertUpdate(String orgId, String groupId, String phone, ContactChanges c, Instant now) {
    String id = contactId(orgId, groupId, phone);
    Update u = new Update()
        .set(A_TYPE, s(TYPE))
        .set(A_CONTACT_ID, s(id))
        .set(A_ORG_ID, s(orgId))
        .set(A_GROUP_ID, s(groupId))
        .set(A_PHONE, s(phone))
        .setIfAbsent(A_CREATED_AT, s(now.toString()));
    // A new contact starts opted in and active unless the row says otherwise (one SET per attribute).
    if (c.optedOut().isEmpty()) {
      u.setIfAbsent(A_OPTED_OUT, AttributeValue.fromBool(false));
    }
    if (c.deactivated().isEmpty()) {
      u.setIfAbsent(A_DEACTIVATED, AttributeValue.fromBool(false));
    }
    applyChanges(u, orgId, groupId, id, c, now);
    return u;
  }

  public Upserted upsert(String orgId, String groupId, String phone, ContactChanges c, Instant now) {
    String id = contactId(orgId, groupId, phone);
    Update u = upsertUpdate(orgId, groupId, phone, c, now);
    var res = dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
        .key(key(groupPartition(orgId, groupId), contactSk(id)))
        .updateExpression(u.expression())
        .expressionAttributeNames(u.names())
        .expressionAttributeValues(u.values())
        .returnValues(ReturnValue.ALL_OLD)
        .build());
    // ALL_OLD is empty exactly when there was no item before (costs no extra capacity).
    boolean created = !res.hasAttributes() || res.attributes().isEmpty();
    return new Upserted(created, id, created ? null : str(res.attributes(), A_AGENT));
  }

  /** Applies a PATCH to an existing contact; empty when there is no such contact. */
  public Optional<Contact> patch(String orgId, String groupId, String contactId, ContactChanges c, Instant now) {
    if (!c.addTags().isEmpty() && !c.removeTags().isEmpty()) {
      // DynamoDB refuses ADD and DELETE on the same attribute in one expression: remove first, then the rest.
      Optional<Contact> removed = patch(orgId, groupId, contactId, ContactChanges.onlyRemovingTags(c.removeTags()), now);
      if (removed.isEmpty()) {
        return removed;
      }
      c = c.withoutRemovedTags();
    }
    Update u = new Update();
    applyChanges(u, orgId, groupId, contactId, c, now);
    String condition = "attribute_exists(" + u.name(PK) + ")";
    try {
      var res = dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(groupPartition(orgId, groupId), contactSk(contactId)))
          .updateExpression(u.expression())
          .conditionExpression(condition)
          .expressionAttributeNames(u.names())
          .expressionAttributeValues(u.values())
          .returnValues(ReturnValue.ALL_NEW)
          .build());
      return Optional.of(fromItem(res.attributes()));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    }
  }

  private static void applyChanges(Update u, String orgId, String groupId, String id, ContactChanges c, Instant now) {
    u.set(A_UPDATED_AT, s(now.toString()));
    c.firstName().ifPresent(v -> nameAttrs(u, A_FIRST, A_FIRST_LC, v));
    c.lastName().ifPresent(v -> nameAttrs(u, A_LAST, A_LAST_LC, v));
    c.customFields().forEach((name, value) -> {
      if (value == null) {
        u.remove(CUSTOM_FIELD_PREFIX + name);
      } else {
        u.set(CUSTOM_FIELD_PREFIX + name, s(value));
      }
    });
    c.timeZone().ifPresent(zone -> {
      // The first-class field replaces the custom field older imports used for it, so that one cannot outlive it.
      u.remove(CUSTOM_FIELD_PREFIX + ContactZones.LEGACY_FIELD);
      if (zone.isPresent()) {
        u.set(A_TIME_ZONE, s(zone.get()));
      } else {
        u.remove(A_TIME_ZONE);
      }
    });
    c.tags().ifPresent(tags -> {
      if (tags.isEmpty()) {
        u.remove(A_TAGS);
      } else {
        u.set(A_TAGS, AttributeValue.fromSs(tags));
      }
    });
    if (!c.addTags().isEmpty()) {
      u.add(A_TAGS, AttributeValue.fromSs(c.addTags()));
    }
    if (!c.removeTags().isEmpty()) {
      u.deleteFromSet(A_TAGS, AttributeValue.fromSs(c.removeTags()));
    }
    c.assignedAgentId().ifPresent(agent -> {
      if (agent.isPresent()) {
        u.set(A_AGENT, s(agent.get()));
        u.set(GSI1PK, s(agentPartition(orgId, groupId, agent.get())));
        u.set(GSI1SK, s(contactSk(id)));
      } else {
        u.remove(A_AGENT).remove(GSI1PK).remove(GSI1SK);
      }
    });
    c.optedOut().ifPresent(out -> {
      u.set(A_OPTED_OUT, AttributeValue.fromBool(out));
      if (out) {
        u.set(A_OPT_OUT_SOURCE, s("admin"));
      } else {
        u.remove(A_OPT_OUT_SOURCE);
      }
    });
    c.deactivated().ifPresent(d -> u.set(A_DEACTIVATED, AttributeValue.fromBool(d)));
  }

  private static void nameAttrs(Update u, String attr, String lcAttr, String value) {
    if (value.isEmpty()) {
      u.remove(attr).remove(lcAttr);
    } else {
      u.set(attr, s(value)).set(lcAttr, s(value.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * Adds custom field names to the group's field catalog (item {@code FIELDS} in the group partition, a string
   * set), which scripts' merge fields are checked against. 1 UpdateItem, 1 WCU; names are never removed,
   * since old scripts may still use them.
   */
  public void recordFieldNames(String orgId, String groupId, java.util.Set<String> names) {
    if (names.isEmpty()) {
      return;
    }
    dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
        .key(key(groupPartition(orgId, groupId), FIELDS_SK))
        .updateExpression("ADD #names :names")
        .expressionAttributeNames(Map.of("#names", "names"))
        .expressionAttributeValues(Map.of(":names", AttributeValue.fromSs(List.copyOf(names))))
        .build());
  }

  /** The group's custom field names, as first written. 1 GetItem, 0.5 RCU. */
  public java.util.Set<String> fieldNames(String orgId, String groupId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(groupPartition(orgId, groupId), FIELDS_SK)).build());
    if (!res.hasItem() || res.item().get("names") == null) {
      return java.util.Set.of();
    }
    return java.util.Set.copyOf(res.item().get("names").ss());
  }

  /**
   * Sets a contact's opt-out flag if the contact exists (the org-wide opt-out reaches every group's copy).
   * 1 UpdateItem conditioned on existence; false when the group has no such contact.
   */
  public boolean setOptedOut(String orgId, String groupId, String contactId, boolean optedOut, String source,
                             Instant now) {
    Update u = optedOutUpdate(optedOut, source, now);
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(groupPartition(orgId, groupId), contactSk(contactId)))
          .updateExpression(u.expression()).conditionExpression("attribute_exists(" + u.name(PK) + ")")
          .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * {@link #setOptedOut} as an item of someone else's transaction (a STOP or START reply flags its own group's
   * contact in the transaction that changes the org list): conditioned on the contact existing.
   */
  public TransactWriteItem optedOutWrite(String orgId, String groupId, String contactId, boolean optedOut,
                                         String source, Instant now) {
    Update u = optedOutUpdate(optedOut, source, now);
    return TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
        .tableName(table.name()).key(key(groupPartition(orgId, groupId), contactSk(contactId)))
        .updateExpression(u.expression()).conditionExpression("attribute_exists(" + u.name(PK) + ")")
        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build()).build();
  }

  private static Update optedOutUpdate(boolean optedOut, String source, Instant now) {
    Update u = new Update().set(A_OPTED_OUT, AttributeValue.fromBool(optedOut)).set(A_UPDATED_AT, s(now.toString()));
    if (optedOut) {
      u.set(A_OPT_OUT_SOURCE, s(source));
    } else {
      u.remove(A_OPT_OUT_SOURCE);
    }
    return u;
  }

  /**
   * Requests one activation page may take to fill: 1 when its contacts fit 1 MB (1,000 contacts of 1 KB);
   * 400 lets a page of 1,000 fill even from the local cloud's pages of 3.
   */
  static final int MAX_REQUESTS_PER_ACTIVATION_PAGE = 400;

  /** One page of a group's contacts in key order, and the sort key to continue after (empty at the end). */
  public record ContactPage(List<Contact> contacts, Optional<String> after) {}

  /**
   * Reads the group's contacts after sort key {@code after} (exclusive), up to {@code limit} (≤ 1 MB per
   * request: about 1,000 contacts, ~125 RCU eventually consistent). Activation resumes from {@code after}.
   */
  public ContactPage page(String orgId, String groupId, Optional<String> after, int limit) {
    String pk = groupPartition(orgId, groupId);
    var req = QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s("CONTACT#")))
        // Strongly consistent: a page activation rebuilds after a reassignment moved its version must see the
        // new assignment (Reassignment.moveBatch).
        .consistentRead(true);
    after.ifPresent(sk -> req.exclusiveStartKey(key(pk, sk)));
    // Filled across 1 MB pages (Queries.page, bounded; 1 request when contacts are under ~1 KB), so an
    // activation page cuts full batches instead of one short batch per DynamoDB page.
    var res = Queries.page(dynamo, req.build(), limit, MAX_REQUESTS_PER_ACTIVATION_PAGE);
    Optional<String> next = Optional.ofNullable(res.next()).map(k -> k.get(SK).s());
    return new ContactPage(res.items().stream().map(ContactRepository::fromItem).toList(), next);
  }

  /** Visits every contact of a group (targeting estimates), page by page. */
  public void forEachInGroup(String orgId, String groupId, java.util.function.Consumer<Contact> visitor) {
    Optional<String> after = Optional.empty();
    do {
      ContactPage page = page(orgId, groupId, after, 1000);
      page.contacts().forEach(visitor);
      after = page.after();
    } while (after.isPresent());
  }

  /** Contacts by id, eventually consistent ({@link BatchReads}: 100 keys per request, unprocessed keys retried). */
  public List<Contact> getAll(String orgId, String groupId, java.util.Collection<String> contactIds) {
    List<Map<String, AttributeValue>> keys = contactIds.stream()
        .map(id -> key(groupPartition(orgId, groupId), contactSk(id))).toList();
    return new BatchReads(dynamo, table).get(keys, false).values().stream().map(ContactRepository::fromItem).toList();
  }

  public Optional<Contact> get(String orgId, String groupId, String contactId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(groupPartition(orgId, groupId), contactSk(contactId))).consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(fromItem(res.item())) : Optional.empty();
  }

  /**
   * One page of a group's contacts matching {@code q}. The cursor is the key of the last contact returned,
   * so a page cut short by the limit resumes exactly after it.
   */
  public Page<Contact> list(String orgId, String groupId, ContactQuery q) {
    String pk = groupPartition(orgId, groupId);
    boolean byAgent = q.assignedAgentId().isPresent();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    String keyCondition;
    Map<String, AttributeValue> fixed = new HashMap<>();
    fixed.put(PK, s(pk));
    if (byAgent) {
      String agentPk = agentPartition(orgId, groupId, q.assignedAgentId().get());
      keyCondition = "#gpk = :gpk";
      names.put("#gpk", GSI1PK);
      values.put(":gpk", s(agentPk));
      fixed.put(GSI1PK, s(agentPk));
    } else {
      keyCondition = "#pk = :pk AND begins_with(#sk, :prefix)";
      names.put("#pk", PK);
      names.put("#sk", SK);
      values.put(":pk", s(pk));
      values.put(":prefix", s("CONTACT#"));
    }
    List<String> filters = new ArrayList<>();
    q.tag().ifPresent(t -> {
      names.put("#tags", A_TAGS);
      values.put(":tag", s(t));
      filters.add("contains(#tags, :tag)");
    });
    for (int i = 0; i < q.words().size(); i++) {
      names.put("#fl", A_FIRST_LC);
      names.put("#ll", A_LAST_LC);
      names.put("#ph", A_PHONE);
      values.put(":w" + i, s(q.words().get(i)));
      filters.add("(contains(#fl, :w" + i + ") OR contains(#ll, :w" + i + ") OR contains(#ph, :w" + i + "))");
    }
    String[] cursorNames = byAgent ? new String[] {SK, GSI1SK} : new String[] {SK};
    Optional<Map<String, AttributeValue>> start = Cursor.decode(q.cursor(), fixed, cursorNames);

    var req = QueryRequest.builder().tableName(table.name())
        .keyConditionExpression(keyCondition)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values);
    if (byAgent) {
      req.indexName(GSI1);
    }
    if (!filters.isEmpty()) {
      req.filterExpression(String.join(" AND ", filters)).limit(Math.max(100, q.limit()));
    }
    start.ifPresent(req::exclusiveStartKey);
    // Filled across pages (Queries.page): without a filter 1 request (a page of 100 contacts is far below
    // 1 MB; up to 40 for the local small pages); with filters at most MAX_READS_PER_PAGE reads of 100.
    var res = Queries.page(dynamo, req.build(), q.limit(), filters.isEmpty() ? 40 : MAX_READS_PER_PAGE);
    List<Map<String, AttributeValue>> found = res.items();
    Map<String, AttributeValue> lastKey = res.next();
    return new Page<>(found.stream().map(ContactRepository::fromItem).toList(),
        Cursor.encode(lastKey, cursorNames));
  }

  /** Maps a contact item read elsewhere (a batch read of several aggregates). */
  public static Contact fromItemPublic(Map<String, AttributeValue> item) {
    return fromItem(item);
  }

  static Contact fromItem(Map<String, AttributeValue> item) {
    Map<String, String> custom = new TreeMap<>();
    item.forEach((k, v) -> {
      if (k.startsWith(CUSTOM_FIELD_PREFIX) && v.s() != null) {
        custom.put(k.substring(CUSTOM_FIELD_PREFIX.length()), v.s());
      }
    });
    AttributeValue tags = item.get(A_TAGS);
    List<String> tagList = tags == null || !tags.hasSs() ? List.of() : tags.ss().stream().sorted().toList();
    return new Contact(str(item, A_CONTACT_ID), str(item, A_ORG_ID), str(item, A_GROUP_ID), str(item, A_PHONE),
        str(item, A_FIRST), str(item, A_LAST), custom, str(item, A_TIME_ZONE), tagList, str(item, A_AGENT),
        bool(item, A_OPTED_OUT), str(item, A_OPT_OUT_SOURCE), bool(item, A_DEACTIVATED),
        Instant.parse(str(item, A_CREATED_AT)), Instant.parse(str(item, A_UPDATED_AT)));
  }
}

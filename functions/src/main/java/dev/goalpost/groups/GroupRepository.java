package dev.goalpost.groups;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Cursor;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Groups, their phone-number claims and their members in the single table.
 *
 * <pre>
 * item           PK                          SK                 GSI1PK / GSI1SK
 * group          ORG#{org}                   GROUP#{groupId}    -
 * number claim   NUMBER#{e164}               NUMBER             -            (orgId, groupId, provider,
 *                                                                              accountSid, messagingServiceSid,
 *                                                                              stopConfirmation)
 * member         ORG#{org}#GROUP#{groupId}   MEMBER#{userId}    ORG#{org}#USER#{userId} / GROUP#{groupId}
 * </pre>
 *
 * Access patterns and cost (items are well under 1 KB: 1 RCU per strongly consistent read, 1 WCU per write;
 * a transaction item costs double):
 * <ul>
 *   <li>create group: TransactWriteItems(group + one claim per number), 1 request, 2×(1+n) WCU. A number
 *       already claimed by any group of any org fails the whole transaction — inbound texts are routed by
 *       number, so a number belongs to exactly one group.</li>
 *   <li>get group: GetItem, 1 request, 1 RCU. The org is part of the key: another org's id is simply absent.</li>
 *   <li>list an org's groups: Query ORG#{org} begins_with GROUP#, 1 request per page, ~1 RCU per 4 KB.</li>
 *   <li>update group: TransactWriteItems(group put conditioned on version, claims added/removed, and the
 *       claims of kept numbers whose provider setting changed rewritten), 1 request.</li>
 *   <li>a refused claim: 1 more GetItem (whose claim it is), so another org's number is refused exactly like a
 *       number off the allow-list.</li>
 *   <li>put member: TransactWriteItems(ConditionCheck group exists + Put member), 1 request, 4 WCU.</li>
 *   <li>delete member: DeleteItem, 1 request, 1 WCU. List members: Query, 1 request per page.</li>
 *   <li>a user's groups (later: /me/workflows): Query GSI1 ORG#{org}#USER#{userId}, 1 request.</li>
 *   <li>group of an inbound number (later: webhooks): GetItem NUMBER#{e164}, 1 request, 0.5 RCU eventual.</li>
 * </ul>
 */
public final class GroupRepository {
  static final String A_GROUP_ID = "groupId";
  static final String A_ORG_ID = "orgId";
  static final String A_NAME = "name";
  static final String A_TIME_ZONE = "timeZone";
  static final String A_PHONE_NUMBERS = "phoneNumbers";
  static final String A_HOURS_START = "hoursStart";
  static final String A_HOURS_END = "hoursEnd";
  static final String A_UNREAD_CLAIM = "unreadClaimMinutes";
  static final String A_RESPONSE_WINDOW = "responseWindowMinutes";
  static final String A_SEGMENT_CAP = "dailySegmentCap";
  static final String A_CREATED_AT = "createdAt";
  static final String A_UPDATED_AT = "updatedAt";
  static final String A_VERSION = "version";
  static final String A_USER_ID = "userId";
  static final String A_ROLE = "role";
  static final String A_ADDED_AT = "addedAt";
  static final String A_NUMBER_PROVIDERS = "numberProviders";
  static final String A_PROVIDER = "provider";
  static final String A_ACCOUNT_SID = "accountSid";
  static final String A_SERVICE_SID = "messagingServiceSid";
  static final String A_STOP_CONFIRMATION = "stopConfirmation";

  private final DynamoDbClient dynamo;
  private final Table table;

  public GroupRepository(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static String groupSk(String groupId) {
    return "GROUP#" + groupId;
  }

  static String numberPk(String e164) {
    return "NUMBER#" + e164;
  }

  public void create(Group g) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(toItem(g))
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build())
        .build());
    g.phoneNumbers().forEach(n -> writes.add(claim(g, n)));
    transact(writes, g.phoneNumbers(), 1, g.phoneNumbers().size(), g.orgId());
  }

  public Optional<Group> get(String orgId, String groupId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(orgPartition(orgId), groupSk(groupId))).consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(fromItem(res.item())) : Optional.empty();
  }

  public Page<Group> list(String orgId, int limit, Optional<String> cursor) {
    var start = Cursor.decode(cursor, Map.of(PK, s(orgPartition(orgId))), SK);
    var req = QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(orgPartition(orgId)), ":prefix", s("GROUP#")));
    start.ifPresent(req::exclusiveStartKey);
    var res = Queries.page(dynamo, req.build(), limit, 10); // filled across pages: 1 Query below 1 MB
    return new Page<>(res.items().stream().map(GroupRepository::fromItem).toList(),
        Cursor.encode(res.next(), SK));
  }

  /** Writes {@code next} over {@code previous}; fails with 409 if someone else changed it in between. */
  public void update(Group previous, Group next) {
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(toItem(next))
        .conditionExpression("#v = :v")
        .expressionAttributeNames(Map.of("#v", A_VERSION))
        .expressionAttributeValues(Map.of(":v", n(previous.version()))).build()).build());
    List<String> added = next.phoneNumbers().stream().filter(n -> !previous.phoneNumbers().contains(n)).toList();
    Set<String> kept = Set.copyOf(next.phoneNumbers());
    previous.phoneNumbers().stream().filter(n -> !kept.contains(n)).forEach(n ->
        writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
            .key(key(numberPk(n), "NUMBER"))
            .conditionExpression("#g = :g")
            .expressionAttributeNames(Map.of("#g", A_GROUP_ID))
            .expressionAttributeValues(Map.of(":g", s(previous.id()))).build()).build()));
    // A kept number whose provider setting changed: its claim is rewritten, still conditioned on this group.
    next.phoneNumbers().stream().filter(n -> previous.phoneNumbers().contains(n))
        .filter(n -> !java.util.Objects.equals(previous.numberProviders().get(n), next.numberProviders().get(n)))
        .forEach(n -> writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
            .item(claimItem(next, n)).conditionExpression("#g = :g")
            .expressionAttributeNames(Map.of("#g", A_GROUP_ID))
            .expressionAttributeValues(Map.of(":g", s(previous.id()))).build()).build()));
    int firstClaim = writes.size();
    added.forEach(n -> writes.add(claim(next, n)));
    transact(writes, added, firstClaim, added.size(), next.orgId());
  }

  private TransactWriteItem claim(Group g, String number) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(claimItem(g, number))
        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build())
        .build();
  }

  private static Map<String, AttributeValue> claimItem(Group g, String number) {
    Map<String, AttributeValue> item = new HashMap<>(key(numberPk(number), "NUMBER"));
    item.put(A_ORG_ID, s(g.orgId()));
    item.put(A_GROUP_ID, s(g.id()));
    NumberProvider p = g.numberProviders().get(number);
    if (p != null) {
      putProvider(item, p);
    }
    return item;
  }

  static void putProvider(Map<String, AttributeValue> item, NumberProvider p) {
    item.put(A_PROVIDER, s(p.provider()));
    if (p.accountSid() != null) {
      item.put(A_ACCOUNT_SID, s(p.accountSid()));
    }
    if (p.messagingServiceSid() != null) {
      item.put(A_SERVICE_SID, s(p.messagingServiceSid()));
    }
    item.put(A_STOP_CONFIRMATION, s(p.stopConfirmation()));
  }

  /** The provider setting stored on a number claim (or a group's map entry); empty when it names none. */
  public static Optional<NumberProvider> providerFrom(Map<String, AttributeValue> item) {
    if (item == null || !item.containsKey(A_PROVIDER)) {
      return Optional.empty();
    }
    return Optional.of(new NumberProvider(str(item, A_PROVIDER), str(item, A_ACCOUNT_SID), str(item, A_SERVICE_SID),
        str(item, A_STOP_CONFIRMATION)));
  }

  /** The key of a number's claim (the sender reads the number's provider from it). */
  public static Map<String, AttributeValue> numberKey(String e164) {
    return key(numberPk(e164), "NUMBER");
  }

  /**
   * Runs a transaction whose items [firstClaim, firstClaim+claims) claim {@code numbers}; turns a failed
   * condition into a precise 409: which number is taken, or that the group changed meanwhile.
   */
  private void transact(List<TransactWriteItem> writes, List<String> numbers, int firstClaim, int claims, String orgId) {
    try {
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo, writes,
          "The group is being changed right now; retry");
    } catch (TransactionCanceledException e) {
      var reasons = e.cancellationReasons();
      for (int i = 0; i < reasons.size(); i++) {
        if (!"ConditionalCheckFailed".equals(reasons.get(i).code())) {
          continue;
        }
        if (i >= firstClaim && i < firstClaim + claims) {
          String number = numbers.get(i - firstClaim);
          // Within the org the caller learns the number is another group's; another org's number gets the
          // very answer a number off the allow-list gets, so a refusal tells nothing about other orgs.
          boolean ours = ownerOf(number).map(o -> o.orgId().equals(orgId)).orElse(false);
          if (!ours) {
            throw unavailable(number);
          }
          throw new ApiException(409, "phone-number-taken", "Phone number already in use",
              number + " already belongs to another group; a number can route replies to one group only",
              List.of(new dev.goalpost.platform.http.FieldError("phoneNumbers", number + " is already in use")));
        }
        throw ApiException.conflict("concurrent-modification",
            "The group was changed by another request; read it again and retry");
      }
      throw e;
    }
  }

  /**
   * The one refusal for a number this org may not register, whether it is off the operator's allow-list or
   * held by another org: same status, type and text, so a caller cannot probe other orgs' numbers.
   */
  public static ApiException unavailable(String number) {
    return new ApiException(409, "phone-number-unavailable", "Phone number not available",
        number + " is not available to this org: register only numbers your provider accounts hold and the"
            + " operator has allowed for your org",
        List.of(new dev.goalpost.platform.http.FieldError("phoneNumbers", number + " is not available to this org")));
  }

  /**
   * Which org and group a number belongs to (inbound routing), and the provider setting stored with it
   * (empty: the deployment's default). GetItem, 0.5 RCU.
   */
  public record NumberOwner(String orgId, String groupId, Optional<NumberProvider> provider) {
    public NumberOwner(String orgId, String groupId) {
      this(orgId, groupId, Optional.empty());
    }
  }

  public Optional<NumberOwner> ownerOf(String e164) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key(numberPk(e164), "NUMBER")).build());
    return res.hasItem() ? ownerFrom(res.item()) : Optional.empty();
  }

  /** The owner a stored number claim names (read in someone else's BatchGetItem); empty for no item. */
  public static Optional<NumberOwner> ownerFrom(Map<String, AttributeValue> item) {
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NumberOwner(str(item, A_ORG_ID), str(item, A_GROUP_ID), providerFrom(item)));
  }

  /** Every group id of an org (opt-out fan-out). */
  public List<String> allGroupIds(String orgId) {
    List<String> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Group> page = list(orgId, 100, cursor);
      page.items().forEach(g -> out.add(g.id()));
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
    return out;
  }

  // ------------------------------------------------------------------ members

  public void putMember(String orgId, Member m) {
    Map<String, AttributeValue> item = new HashMap<>(key(groupPartition(orgId, m.groupId()), "MEMBER#" + m.userId()));
    item.put(GSI1PK, s(orgPartition(orgId) + "#USER#" + m.userId()));
    item.put(GSI1SK, s(groupSk(m.groupId())));
    item.put(A_USER_ID, s(m.userId()));
    item.put(A_GROUP_ID, s(m.groupId()));
    item.put(A_ROLE, s(m.role().wire()));
    item.put(A_ADDED_AT, s(m.addedAt().toString()));
    try {
      // A TransactionConflict (another request on the group item: an edit, another member) is retried; only a
      // failed condition means the group is missing.
      dev.goalpost.platform.Transactions.writeRetryingConflicts(dynamo, List.of(
          TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
              .key(key(orgPartition(orgId), groupSk(m.groupId())))
              .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build())
              .build(),
          TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item).build()).build()),
          "The group is being changed right now; retry");
    } catch (TransactionCanceledException e) {
      if (dev.goalpost.platform.Transactions.failedCondition(e)) {
        throw ApiException.notFound("Group " + m.groupId());
      }
      throw e;
    }
  }

  public Optional<Member> getMember(String orgId, String groupId, String userId) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(key(groupPartition(orgId, groupId), "MEMBER#" + userId)).consistentRead(true).build());
    return res.hasItem() && !res.item().isEmpty() ? Optional.of(memberFromItem(res.item())) : Optional.empty();
  }

  public void deleteMember(String orgId, String groupId, String userId) {
    dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name())
        .key(key(groupPartition(orgId, groupId), "MEMBER#" + userId)).build());
  }

  public Page<Member> listMembers(String orgId, String groupId, int limit, Optional<String> cursor) {
    String pk = groupPartition(orgId, groupId);
    var start = Cursor.decode(cursor, Map.of(PK, s(pk)), SK);
    var req = QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s("MEMBER#")));
    start.ifPresent(req::exclusiveStartKey);
    var res = Queries.page(dynamo, req.build(), limit, 10); // filled across pages: 1 Query below 1 MB
    return new Page<>(res.items().stream().map(GroupRepository::memberFromItem).toList(),
        Cursor.encode(res.next(), SK));
  }

  /** Every group membership of a user in an org (GSI1, one request; eventually consistent). */
  public List<Member> membershipsOf(String orgId, String userId) {
    List<Member> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
          .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
          .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
          .expressionAttributeValues(Map.of(":pk", s(orgPartition(orgId) + "#USER#" + userId), ":prefix", s("GROUP#")));
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      var res = dynamo.query(req.build());
      res.items().forEach(i -> out.add(memberFromItem(i)));
      start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  // ------------------------------------------------------------------ mapping

  static Map<String, AttributeValue> toItem(Group g) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgPartition(g.orgId()), groupSk(g.id())));
    item.put(A_GROUP_ID, s(g.id()));
    item.put(A_ORG_ID, s(g.orgId()));
    item.put(A_NAME, s(g.name()));
    item.put(A_TIME_ZONE, s(g.timeZone()));
    item.put(A_PHONE_NUMBERS, AttributeValue.fromL(g.phoneNumbers().stream().map(Table::s).toList()));
    if (!g.numberProviders().isEmpty()) {
      Map<String, AttributeValue> providers = new HashMap<>();
      g.numberProviders().forEach((number, p) -> {
        Map<String, AttributeValue> m = new HashMap<>();
        putProvider(m, p);
        providers.put(number, AttributeValue.fromM(m));
      });
      item.put(A_NUMBER_PROVIDERS, AttributeValue.fromM(providers));
    }
    item.put(A_HOURS_START, s(g.hoursOfOperation().start().toString()));
    item.put(A_HOURS_END, s(g.hoursOfOperation().end().toString()));
    item.put(A_UNREAD_CLAIM, n(g.unreadClaimMinutes()));
    item.put(A_RESPONSE_WINDOW, n(g.responseWindowMinutes()));
    item.put(A_SEGMENT_CAP, n(g.dailySegmentCap()));
    item.put(A_CREATED_AT, s(g.createdAt().toString()));
    item.put(A_UPDATED_AT, s(g.updatedAt().toString()));
    item.put(A_VERSION, n(g.version()));
    return item;
  }

  /** The group item's key (for batched reads: the inbound path reads it with the reply's items). */
  public static Map<String, AttributeValue> groupKey(String orgId, String groupId) {
    return key(orgPartition(orgId), groupSk(groupId));
  }

  /** A stored group item (read in someone else's BatchGetItem). */
  public static Group fromStoredItem(Map<String, AttributeValue> item) {
    return fromItem(item);
  }

  static Group fromItem(Map<String, AttributeValue> item) {
    return new Group(str(item, A_GROUP_ID), str(item, A_ORG_ID), str(item, A_NAME), str(item, A_TIME_ZONE),
        item.get(A_PHONE_NUMBERS).l().stream().map(AttributeValue::s).toList(),
        numberProvidersFrom(item),
        new HoursOfOperation(LocalTime.parse(str(item, A_HOURS_START)), LocalTime.parse(str(item, A_HOURS_END))),
        (int) num(item, A_UNREAD_CLAIM, GroupLimits.UNREAD_CLAIM_MINUTES_DEFAULT),
        (int) num(item, A_RESPONSE_WINDOW, GroupLimits.RESPONSE_WINDOW_MINUTES_DEFAULT),
        (int) num(item, A_SEGMENT_CAP, GroupLimits.DAILY_SEGMENT_CAP_DEFAULT),
        Instant.parse(str(item, A_CREATED_AT)), Instant.parse(str(item, A_UPDATED_AT)),
        num(item, A_VERSION, 1));
  }

  private static Map<String, NumberProvider> numberProvidersFrom(Map<String, AttributeValue> item) {
    if (!item.containsKey(A_NUMBER_PROVIDERS)) {
      return Map.of();
    }
    Map<String, NumberProvider> out = new java.util.LinkedHashMap<>();
    item.get(A_NUMBER_PROVIDERS).m().forEach((number, v) -> providerFrom(v.m()).ifPresent(p -> out.put(number, p)));
    return out;
  }

  static Member memberFromItem(Map<String, AttributeValue> item) {
    return new Member(str(item, A_USER_ID), str(item, A_GROUP_ID),
        MemberRole.parse(str(item, A_ROLE)).orElse(MemberRole.AGENT), Instant.parse(str(item, A_ADDED_AT)));
  }
}

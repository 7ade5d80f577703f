package dev.goalpost.conversations;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * An agent's row for a thread in their conversations list: the one owner of the participation item's key and
 * writes. Written by the stream projection (after each text), marked read when the agent opens the thread, and
 * created unread when review hands an inbox reply to an agent.
 * <pre>
 * item           PK                          SK                 GSI1PK / GSI1SK
 * participation  ORG#{org}#THREAD#{thread}   AGENT#{agentId}    ORG#{org}#AGENT#{agentId}#CONVS / {lastActivityMs:13}#{thread}
 *                attributes: threadId, agentId, groupId, contactId, unread, lastDirection, lastMessageAt,
 *                contactName, preview (Message#preview, ~100 bytes)
 * </pre>
 * Every write after a text is conditioned on nothing newer having happened on the row (its GSI1SK is the time of
 * its latest activity), so a late or repeated stream record never moves a row backwards. Costs: a text's row
 * 1 UpdateItem (1 WCU, also when the condition refuses); an agent's conversations page 1 Query on GSI1.
 */
public final class Participations {
  public static final String SK_PREFIX = "AGENT#";
  public static final String A_UNREAD = "unread";
  public static final String A_CONTACT_NAME = "contactName";
  public static final String A_PREVIEW = "preview";

  private final DynamoDbClient dynamo;
  private final Table table;

  public Participations(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static Map<String, AttributeValue> key(String orgId, String threadId, String agentId) {
    return Table.key(ThreadRepository.threadPartition(orgId, threadId), SK_PREFIX + agentId);
  }

  static String activityKey(long atMs, String threadId) {
    return ThreadRepository.sortMs(atMs) + "#" + threadId;
  }

  /**
   * After an agent's text: their row, read, moved to the top with the text's preview (created if it is their
   * first text here). False when something newer happened on the row already.
   */
  public boolean afterSend(String orgId, String threadId, String agentId, String groupId, String contactId,
                           String contactName, String preview, long atMs, String at) {
    Update u = new Update()
        .set(GSI1PK, s(ThreadRepository.conversationsPartition(orgId, agentId)))
        .set("threadId", s(threadId)).set("agentId", s(agentId)).set("groupId", s(groupId))
        .set("contactId", s(contactId)).set(A_UNREAD, AttributeValue.fromBool(false))
        .set("lastDirection", s(Message.Direction.OUTBOUND.name())).set("lastMessageAt", s(at))
        .set(A_PREVIEW, s(preview));
    if (contactName != null) {
      u.set(A_CONTACT_NAME, s(contactName));
    }
    return newer(orgId, threadId, agentId, u, atMs, false);
  }

  /** After a reply: an existing row flagged unread (unless {@code unread} is false) with the reply's preview. */
  public boolean afterReply(String orgId, String threadId, String agentId, boolean unread, String preview, long atMs,
                            String at) {
    Update u = new Update().set(A_UNREAD, AttributeValue.fromBool(unread))
        .set("lastDirection", s(Message.Direction.INBOUND.name())).set("lastMessageAt", s(at))
        .set(A_PREVIEW, s(preview));
    return newer(orgId, threadId, agentId, u, atMs, true);
  }

  private boolean newer(String orgId, String threadId, String agentId, Update u, long atMs, boolean mustExist) {
    String gsk = activityKey(atMs, threadId);
    u.set(GSI1SK, s(gsk));
    String n = u.name(GSI1SK);
    String cond = "(attribute_not_exists(" + n + ") OR " + n + " <= " + u.value(s(gsk)) + ")";
    if (mustExist) {
      cond = "attribute_exists(" + u.name(PK) + ") AND " + cond;
    }
    try {
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key(orgId, threadId, agentId))
          .updateExpression(u.expression()).conditionExpression(cond)
          .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false; // something newer happened on this row, or (a reply) the agent has no row here
    }
  }

  /**
   * A reply waiting in the group's inbox handed to an agent (review's assign): a row, unread, unless the agent
   * has one already. 1 conditional PutItem.
   */
  public void handedOver(String orgId, String threadId, String agentId, String groupId, String contactId, long atMs,
                         String at) {
    Map<String, AttributeValue> item = new HashMap<>(key(orgId, threadId, agentId));
    item.put(GSI1PK, s(ThreadRepository.conversationsPartition(orgId, agentId)));
    item.put(GSI1SK, s(activityKey(atMs, threadId)));
    item.put("threadId", s(threadId));
    item.put("agentId", s(agentId));
    item.put("groupId", s(groupId));
    item.put("contactId", s(contactId));
    item.put(A_UNREAD, AttributeValue.fromBool(true));
    item.put("lastDirection", s(Message.Direction.INBOUND.name()));
    item.put("lastMessageAt", s(at));
    try {
      dynamo.putItem(software.amazon.awssdk.services.dynamodb.model.PutItemRequest.builder().tableName(table.name())
          .item(item).conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))
          .build());
    } catch (ConditionalCheckFailedException e) {
      // The agent is on the thread already.
    }
  }

  /** The agent opened the thread: their row stops being flagged (if they have one). 1 UpdateItem. */
  public void markRead(String orgId, String threadId, String agentId) {
    try {
      Update p = new Update().set(A_UNREAD, AttributeValue.fromBool(false));
      dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name())
          .key(key(orgId, threadId, agentId)).updateExpression(p.expression())
          .conditionExpression("attribute_exists(" + p.name(PK) + ")")
          .expressionAttributeNames(p.names()).expressionAttributeValues(p.values()).build());
    } catch (ConditionalCheckFailedException e) {
      // The agent has not taken part in this thread yet.
    }
  }

  /** The agents with a row on a thread. 1 Query (per 1 MB: Queries.all). */
  public List<String> agents(String orgId, String threadId) {
    var items = Queries.all(dynamo, QueryRequest.builder().tableName(table.name())
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
        .expressionAttributeValues(Map.of(":pk", s(ThreadRepository.threadPartition(orgId, threadId)),
            ":prefix", s(SK_PREFIX)))
        .build());
    return items.stream().map(i -> str(i, "agentId")).toList();
  }

  /**
   * A page of an agent's conversation rows, most recent activity first; the last element is
   * {@code {"__next": M}} when more follow.
   */
  public List<Map<String, AttributeValue>> page(String orgId, String agentId, boolean unreadOnly, int limit,
                                                Map<String, AttributeValue> start) {
    var req = QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk")
        .expressionAttributeNames(new HashMap<>(Map.of("#pk", GSI1PK)))
        .expressionAttributeValues(new HashMap<>(Map.of(":pk", s(ThreadRepository.conversationsPartition(orgId, agentId)))))
        .scanIndexForward(false).limit(limit);
    if (unreadOnly) {
      req.filterExpression("#u = :t")
          .expressionAttributeNames(Map.of("#pk", GSI1PK, "#u", A_UNREAD))
          .expressionAttributeValues(Map.of(":pk", s(ThreadRepository.conversationsPartition(orgId, agentId)),
              ":t", AttributeValue.fromBool(true)));
    }
    if (start != null) {
      req.exclusiveStartKey(start);
    }
    // Filled across Query pages (Queries.page: 1 Query unless the unread filter drops many, at most 10), so an
    // unread-only page is never empty while unread conversations remain further on.
    var res = Queries.page(dynamo, req.build(), limit, 10);
    List<Map<String, AttributeValue>> out = new ArrayList<>(res.items());
    if (res.next() != null) {
      out.add(Map.of("__next", AttributeValue.fromM(res.next())));
    }
    return out;
  }
}

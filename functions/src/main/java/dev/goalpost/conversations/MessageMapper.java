package dev.goalpost.conversations;

import static dev.goalpost.platform.Table.*;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Message items: PK = the thread's partition, SK = {@code MSG#{createdAtMs}#{messageId}} (time order). */
public final class MessageMapper {
  private MessageMapper() {}

  public static String sortKey(Message m) {
    return "MSG#" + ThreadRepository.sortMs(m.createdAt().toEpochMilli()) + "#" + m.id();
  }

  public static Map<String, AttributeValue> toItem(String orgId, Message m) {
    Map<String, AttributeValue> item = new HashMap<>(key(ThreadRepository.threadPartition(orgId, m.threadId()),
        sortKey(m)));
    item.put("messageId", s(m.id()));
    item.put("threadId", s(m.threadId()));
    item.put("direction", s(m.direction().name()));
    item.put("body", s(m.body()));
    item.put("segments", n(m.segments()));
    item.put("encoding", s(m.encoding()));
    item.put("status", s(m.status().name()));
    item.put("createdAt", s(m.createdAt().toString()));
    putIf(item, "agentId", m.agentId());
    putIf(item, "goalId", m.goalId());
    putIf(item, "scriptId", m.scriptId());
    putIf(item, "workflow", m.workflow());
    putIf(item, "providerMessageId", m.providerMessageId());
    putIf(item, "error", m.error());
    putIf(item, "from", m.from());
    putIf(item, "to", m.to());
    return item;
  }

  public static Message fromItem(Map<String, AttributeValue> item) {
    return new Message(str(item, "messageId"), str(item, "threadId"),
        Message.Direction.valueOf(str(item, "direction")), str(item, "body"), (int) num(item, "segments", 1),
        str(item, "encoding"), Message.Status.valueOf(str(item, "status")), str(item, "agentId"),
        str(item, "goalId"), str(item, "scriptId"), str(item, "workflow"), Instant.parse(str(item, "createdAt")),
        str(item, "providerMessageId"), str(item, "error"), str(item, "from"), str(item, "to"));
  }

  private static void putIf(Map<String, AttributeValue> item, String name, String v) {
    if (v != null) {
      item.put(name, s(v));
    }
  }
}

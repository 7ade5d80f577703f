package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.messaging.inbound.InboundService;
import dev.goalpost.messaging.inbound.InboundSms;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.events.DomainEvents;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Issue 14, the reply path without a hot item: 200 contacts of one goal replying at once write 200 disjoint sets
 * of items (each reply's transaction names only its own inbound record, message and thread), so real DynamoDB
 * has nothing to cancel with TransactionConflict between them, and each reply costs at most 3 DynamoDB requests.
 * The processor remembers which group a number belongs to; a number that moved since is still delivered to the
 * group that holds it now.
 */
@LocalCloudTest
class ReplyBurstIT {
  static final int CONTACTS = 200;
  private final ApiClient api;
  private final LocalCloud cloud;

  ReplyBurstIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  /** The real client, recording every transaction's item keys and counting requests and conflicts. */
  static final class Recording {
    final List<List<String>> transactions = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final AtomicInteger conflicts = new AtomicInteger();

    DynamoDbClient wrap(DynamoDbClient real) {
      return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
          new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
            if (args != null && args.length == 1 && args[0] instanceof software.amazon.awssdk.core.SdkRequest) {
              requests.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
            }
            if (args != null && args.length == 1 && args[0] instanceof TransactWriteItemsRequest t) {
              transactions.add(t.transactItems().stream().map(Recording::keyOf).toList());
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              if (e.getCause() instanceof TransactionCanceledException c && c.cancellationReasons().stream()
                  .anyMatch(r -> "TransactionConflict".equals(r.code()))) {
                conflicts.incrementAndGet();
              }
              throw e.getCause();
            }
          });
    }

    static String keyOf(TransactWriteItem i) {
      Map<String, AttributeValue> key = i.put() != null ? i.put().item() : i.update() != null ? i.update().key()
          : i.delete() != null ? i.delete().key() : i.conditionCheck().key();
      return key.get("PK").s() + "|" + key.get("SK").s();
    }
  }

  @Test
  void twoHundredContactsReplyingAtOnceToOneGoalShareNoItemAndCostAtMostThreeRequestsEach() throws Exception {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String group = Fixtures.createGroupWith(api, admin, number);
    List<String> phones = new ArrayList<>();
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < CONTACTS; i++) {
      String phone = Fixtures.randomNumber();
      phones.add(phone);
      rows.add(Map.of("phone", phone, "firstName", "P" + i));
    }
    assertThat(api.post("/groups/" + group + "/contacts", admin, Map.of("contacts", rows)).status()).isEqualTo(200);
    // Every contact was texted in the same goal by the same agent (the thread items as a send leaves them).
    String goal = "goal_burst" + UUID.randomUUID().toString().substring(0, 8);
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    DynamoDbClient dynamo = cloud.clients().dynamo();
    Instant texted = Instant.parse("2026-12-02T16:00:00Z");
    for (String phone : phones) {
      String contactId = ContactRepository.contactId(org, group, phone);
      String threadId = ThreadIds.of(group, contactId);
      Map<String, AttributeValue> item = new HashMap<>(Table.key(ThreadRepository.threadPartition(org, threadId),
          ThreadRepository.SK_THREAD));
      item.put(ThreadRepository.A_TYPE, Table.s("THREAD"));
      item.put(ThreadRepository.A_THREAD_ID, Table.s(threadId));
      item.put(ThreadRepository.A_ORG_ID, Table.s(org));
      item.put(ThreadRepository.A_GROUP_ID, Table.s(group));
      item.put(ThreadRepository.A_CONTACT_ID, Table.s(contactId));
      item.put(ThreadRepository.A_GOAL_ID, Table.s(goal));
      item.put(ThreadRepository.A_POOL, Table.s("ANY"));
      item.put(ThreadRepository.A_AGENTS, AttributeValue.fromSs(List.of("ari")));
      item.put(ThreadRepository.A_LAST_AT, Table.s(texted.toString()));
      item.put(ThreadRepository.A_LAST_DIRECTION, Table.s("OUTBOUND"));
      dynamo.putItem(b -> b.tableName(table).item(item));
    }

    Recording recording = new Recording();
    var inbound = new InboundService(recording.wrap(dynamo), new Table(table),
        new OutboundQueue(cloud.clients().sqs(), cloud.resources().ref("OutboundQueue").orElseThrow()),
        new DomainEvents(cloud.clients().events(), cloud.resources().ref("GoalpostBus").orElseThrow()),
        cloud.clock(), new Ids());
    int threads = 32;
    var pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InboundService.Stored>> stored = new ArrayList<>();
    for (int i = 0; i < CONTACTS; i++) {
      InboundSms sms = new InboundSms("twilio", "SMburst" + UUID.randomUUID().toString().replace("-", ""),
          phones.get(i), number, "Count me in " + i, 0, List.of());
      stored.add(pool.submit(() -> {
        go.await();
        return inbound.receive(sms);
      }));
    }
    go.countDown();
    for (var f : stored) {
      assertThat(f.get().duplicate()).isFalse();
    }
    pool.shutdown();

    assertThat(recording.conflicts.get()).as("TransactionConflicts").isZero();
    assertThat(recording.transactions).hasSize(CONTACTS);
    Map<String, Integer> uses = new ConcurrentHashMap<>();
    recording.transactions.forEach(t -> t.forEach(k -> uses.merge(k, 1, Integer::sum)));
    assertThat(uses.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
        .as("items written by more than one reply").isEmpty();
    assertThat(recording.transactions).allSatisfy(t -> assertThat(t).hasSize(3)); // record, message, thread
    // Per reply: 1 BatchGetItem + 1 TransactWriteItems; the number's GetItem only while no worker knew it yet.
    // (The ITs' local cloud answers at most 3 keys per BatchGetItem and leaves the rest unprocessed, so here
    // the 4 keys of a reply take 2 rounds; DynamoDB answers them at once: `make readiness` shows 2 requests.)
    assertThat(recording.requests.keySet()).containsOnly("getItem", "batchGetItem", "transactWriteItems");
    assertThat(recording.requests.get("transactWriteItems").get()).isEqualTo(CONTACTS);
    assertThat(recording.requests.get("getItem").get()).isLessThanOrEqualTo(threads);
    assertThat(recording.requests.get("batchGetItem").get()).isLessThanOrEqualTo(2 * CONTACTS);
    for (String phone : phones) {
      String threadId = ThreadIds.of(group, ContactRepository.contactId(org, group, phone));
      var thread = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
          .key(Table.key(ThreadRepository.threadPartition(org, threadId), ThreadRepository.SK_THREAD))).item();
      assertThat(thread.get(ThreadRepository.A_LAST_DIRECTION).s()).isEqualTo("INBOUND");
      assertThat(thread.get(ThreadRepository.A_UNREAD).bool()).isTrue();
      assertThat(thread.get("GSI1PK").s()).isEqualTo(ThreadRepository.unreadPartition(org, goal, "ANY"));
    }
  }

  private InboundService inbound(DynamoDbClient dynamo) {
    return new InboundService(dynamo, new Table(cloud.resources().ref("GoalpostTable").orElseThrow()),
        new OutboundQueue(cloud.clients().sqs(), cloud.resources().ref("OutboundQueue").orElseThrow()),
        new DomainEvents(cloud.clients().events(), cloud.resources().ref("GoalpostBus").orElseThrow()),
        cloud.clock(), new Ids());
  }

  private static InboundSms sms(String from, String to, String body) {
    return new InboundSms("twilio", "SMmove" + UUID.randomUUID().toString().replace("-", ""), from, to, body, 0,
        List.of());
  }

  @Test
  void aNumberThatMovedToAnotherGroupAfterTheProcessorRememberedItIsDeliveredToItsNewGroup() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String austin = Fixtures.createGroupWith(api, admin, number);
    String brooklyn = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");
    String phone = Fixtures.randomNumber();
    InboundService inbound = inbound(cloud.clients().dynamo()); // one warm processor throughout

    assertThat(inbound.receive(sms(phone, number, "first")).threadId())
        .isEqualTo(ThreadIds.of(austin, ContactRepository.contactId(org, austin, phone)));
    // The number moves from Austin to Brooklyn; the processor still remembers it as Austin's.
    ApiClient.Reply off = api.patch("/groups/" + austin, admin, Map.of("phoneNumbers", List.of(Fixtures.randomNumber())));
    assertThat(off.status()).as(off.text()).isEqualTo(200);
    List<String> numbers = new ArrayList<>();
    api.get("/groups/" + brooklyn, admin).json().path("phoneNumbers").forEach(n -> numbers.add(n.asText()));
    numbers.add(number);
    ApiClient.Reply on = api.patch("/groups/" + brooklyn, admin, Map.of("phoneNumbers", numbers));
    assertThat(on.status()).as(on.text()).isEqualTo(200);

    InboundService.Stored second = inbound.receive(sms(phone, number, "second"));

    String brooklynThread = ThreadIds.of(brooklyn, ContactRepository.contactId(org, brooklyn, phone));
    assertThat(second.threadId()).isEqualTo(brooklynThread);
    assertThat(api.get("/groups/" + brooklyn + "/contacts/" + ContactRepository.contactId(org, brooklyn, phone), admin)
        .status()).as("the stranger became Brooklyn's contact").isEqualTo(200);
    // And once no group holds the number, a text to it is refused (kept in the dead-letter queue), not guessed at.
    assertThat(api.patch("/groups/" + brooklyn, admin, Map.of("phoneNumbers", List.of(Fixtures.randomNumber())))
        .status()).isEqualTo(200);
    assertThatThrownBy(() -> inbound.receive(sms(phone, number, "third")))
        .isInstanceOf(InboundService.UnknownNumber.class);
  }
}

package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.messaging.inbound.InboundSms;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Table;
import dev.goalpost.conversations.ThreadRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Signed inbound posts with 20 % carrier duplicates, plus forced SQS redeliveries: every reply is stored
 * exactly once, in order in its thread, none is lost, and each thread ends unread for its agent.
 *
 * <p>The suite runs it with 5 contacts (100 posts). {@code -Dgoalpost.stress.contacts=100} makes it the full
 * 2,000 posts (1,600 replies + 400 duplicates), 19 minutes on moto here (2-core machine, busy).
 */
@LocalCloudTest
class InboundStressIT {
  static final int CONTACTS = Integer.getInteger("goalpost.stress.contacts", 5);
  static final int REPLIES_PER_CONTACT = 16;
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");

  private final ApiClient api;
  private final LocalCloud cloud;

  InboundStressIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  @Test
  void everyReplyIsStoredOnceInOrderAndNoneIsLost() throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String g = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number))).json().path("id").asText();
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < CONTACTS; i++) {
      rows.add(Map.of("phone", Fixtures.randomNumber(), "firstName", "P" + i));
    }
    Map<String, String> phoneOf = new LinkedHashMap<>();
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).json().path("rows")
        .forEach(r -> phoneOf.put(r.path("contactId").asText(), r.path("phone").asText()));
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "CUSTOM");
    goal.put("name", "Stress");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal).json();
    String goalId = created.path("id").asText();
    String script = created.path("scripts").path("initial").get(0).path("id").asText();
    api.post("/goals/" + goalId + "/launch", admin, null);
    api.freezeClock(ACTIVE);
    String ari = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));
    JsonNode batch = api.post("/goals/" + goalId + "/workflows/initial/claim", ari, null).json();
    Map<String, String> threadOf = new LinkedHashMap<>();
    for (JsonNode c : batch.path("contacts")) {
      assertThat(api.post("/threads/" + c.path("threadId").asText() + "/messages", ari,
          Map.of("batchId", batch.path("batchId").asText(), "scriptId", script)).status()).isEqualTo(201);
      threadOf.put(c.path("contactId").asText(), c.path("threadId").asText());
    }
    cloud.drainTriggers(Duration.ofSeconds(60));

    // Each contact's replies go out in order; contacts post in parallel; every 4th reply is posted twice.
    String inboundQueue = cloud.resources().ref("InboundQueue").orElseThrow();
    List<InboundSms> redeliver = new ArrayList<>();
    int[] posts = {0};
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> work = new ArrayList<>();
      for (var e : phoneOf.entrySet()) {
        String phone = e.getValue();
        String contactId = e.getKey();
        work.add(pool.submit(() -> {
          for (int i = 0; i < REPLIES_PER_CONTACT; i++) {
            String sid = "SM" + contactId.substring(3) + String.format("%02d", i);
            int copies = i % 4 == 0 ? 2 : 1;
            for (int k = 0; k < copies; k++) {
              ApiClient.Reply r = api.post("/_local/inbound", null, Map.of("from", phone, "to", number,
                  "body", "reply " + i, "messageSid", sid));
              assertThat(r.json().path("webhookStatus").asInt()).isEqualTo(200);
              synchronized (posts) {
                posts[0]++;
              }
            }
            if (i % 10 == 3) {
              synchronized (redeliver) {
                redeliver.add(new InboundSms("twilio", sid, phone, number, "reply " + i, 0, List.of()));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    }
    assertThat(posts[0]).isEqualTo(CONTACTS * REPLIES_PER_CONTACT + CONTACTS * REPLIES_PER_CONTACT / 4);
    // Forced redeliveries: the same replies again on the queue, past SQS's deduplication.
    var sqs = cloud.clients().sqs();
    for (InboundSms sms : redeliver) {
      sqs.sendMessage(SendMessageRequest.builder().queueUrl(inboundQueue)
          .messageBody(Json.write(Map.of("kind", "message", "sms", sms)))
          .messageGroupId(sms.to() + "|" + sms.from())
          .messageDeduplicationId("redelivery-" + sms.providerMessageId()).build());
    }
    // Up to a second per reply on a busy moto, on top of a fixed margin.
    cloud.drainTriggers(Duration.ofMinutes(4).plusSeconds(CONTACTS * REPLIES_PER_CONTACT));

    Table table = new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
    var dynamo = cloud.clients().dynamo();
    ThreadRepository threads = new ThreadRepository(dynamo, table);
    int stored = 0;
    for (var e : threadOf.entrySet()) {
      List<String> inbound = threads.messages(org, e.getValue(), 100).stream()
          .filter(m -> m.direction() == dev.goalpost.conversations.Message.Direction.INBOUND)
          .map(dev.goalpost.conversations.Message::body).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < REPLIES_PER_CONTACT; i++) {
        expected.add("reply " + i);
      }
      assertThat(inbound).as("thread of " + e.getKey()).containsExactlyElementsOf(expected);
      stored += inbound.size();
      var thread = threads.get(org, e.getValue()).orElseThrow();
      assertThat(thread.unread()).isTrue();
      assertThat(thread.lastDirection()).isEqualTo("INBOUND");
    }
    assertThat(stored).isEqualTo(CONTACTS * REPLIES_PER_CONTACT);
    JsonNode unread = api.get("/me/conversations?filter=unread&limit=100", ari).json();
    assertThat(unread.path("items")).hasSize(CONTACTS);
    JsonNode stats = api.get("/goals/" + goalId + "/stats", admin).json();
    assertThat(stats.path("replies").asInt()).isEqualTo(CONTACTS * REPLIES_PER_CONTACT);
    assertThat(stats.path("responseRate").asDouble()).isEqualTo(1.0);
  }
}

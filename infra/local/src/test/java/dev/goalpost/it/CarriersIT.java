package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.local.carrier.ProviderApis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both real carrier paths, end to end on the local cloud: a group number carried by Twilio sends through
 * {@code TwilioSmsProvider} to the local carrier's Twilio Messages API and hears back through signed webhooks;
 * a number carried by AWS sends through {@code EndUserMessagingSmsProvider} (the AWS SDK, IAM enforced from
 * the template) to the local carrier's SendTextMessage, naming the stack's configuration set, and hears back through moto's SNS → AwsSmsQueue → intake → inbound queue. Each runs the whole
 * loop: claim, send, reply, receipt, STOP; and the carriers' error answers land where they should.
 */
@LocalCloudTest
class CarriersIT {
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z"); // 10:00 in Chicago
  static final Duration DRAIN = Duration.ofSeconds(30);

  private final ApiClient api;
  private final LocalCloud cloud;

  CarriersIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record World(String org, String admin, String agent, String group, String number, String goal, String script,
               Map<String, JsonNode> byPhone) {}

  private static Map<String, Object> setting(String provider) {
    return provider.equals("twilio")
        ? Map.of("provider", "twilio", "accountSid", ProviderApis.LOCAL_ACCOUNT_SID)
        : Map.of("provider", "aws");
  }

  private World world(String provider, List<String> phones) throws Exception {
    return world(provider, phones, "America/Chicago", ACTIVE);
  }

  private World world(String provider, List<String> phones, String zone, Instant active) throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    ApiClient.Reply created = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", zone,
        "phoneNumbers", List.of(number), "numberProviders", Map.of(number, setting(provider))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().path("numberProviders").path(number).path("provider").asText()).isEqualTo(provider);
    String g = created.json().path("id").asText();
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = new ArrayList<>();
    for (String p : phones) {
      // Twilio's test numbers (+1500…) are non-geographic (libphonenumber places them in Adak): their contacts
      // say where they live, as an import may.
      rows.add(p.startsWith("+1500")
          ? Map.of("phone", p, "firstName", "P", "customFields", Map.of("timeZone", "America/Chicago"))
          : Map.of("phone", p, "firstName", "P"));
    }
    ApiClient.Reply imported = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows));
    assertThat(imported.status()).as(imported.text()).isLessThan(300);
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally soon. Reply STOP to opt out"))));
    JsonNode goalJson = api.post("/groups/" + g + "/goals", admin, goal).json();
    String goalId = goalJson.path("id").asText();
    api.post("/goals/" + goalId + "/launch", admin, null);
    api.freezeClock(active);
    String agent = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));
    JsonNode batch = api.post("/goals/" + goalId + "/workflows/initial/claim", agent, null).json();
    Map<String, JsonNode> byPhone = new LinkedHashMap<>();
    for (JsonNode c : batch.path("contacts")) {
      var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) c).deepCopy();
      copy.put("batchId", batch.path("batchId").asText());
      String phone = api.get("/groups/" + g + "/contacts/" + c.path("contactId").asText(), admin).json().path("phone").asText();
      byPhone.put(phone, copy);
    }
    assertThat(byPhone.keySet()).containsExactlyInAnyOrderElementsOf(phones);
    return new World(org, admin, agent, g, number, goalId,
        goalJson.path("scripts").path("initial").get(0).path("id").asText(), byPhone);
  }

  private void send(World w, String phone) {
    ApiClient.Reply r = trySend(w, phone);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  private ApiClient.Reply trySend(World w, String phone) {
    JsonNode c = w.byPhone().get(phone);
    return api.post("/threads/" + c.path("threadId").asText() + "/messages", w.agent(),
        Map.of("batchId", c.path("batchId").asText(), "scriptId", w.script()));
  }

  private List<JsonNode> outboxTo(String phone) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/_local/outbox?to=" + phone.replace("+", "%2B"), null).json().path("items").forEach(out::add);
    return out;
  }

  private JsonNode messages(World w, String phone) {
    return api.get("/threads/" + w.byPhone().get(phone).path("threadId").asText(), w.agent()).json().path("messages");
  }

  private JsonNode contact(World w, String phone) {
    return api.get("/groups/" + w.group() + "/contacts/" + w.byPhone().get(phone).path("contactId").asText(), w.admin()).json();
  }

  @ParameterizedTest
  @ValueSource(strings = {"twilio", "aws"})
  void theWholeLoopRunsThroughTheNumbersOwnProvider(String provider) throws Exception {
    String replier = Fixtures.randomNumber();
    String stopper = Fixtures.randomNumber();
    World w = world(provider, List.of(replier, stopper));

    send(w, replier);
    send(w, stopper);
    cloud.drainTriggers(DRAIN);

    JsonNode sent = outboxTo(replier).get(0);
    assertThat(sent.path("provider").asText()).isEqualTo(provider);
    assertThat(sent.path("from").asText()).isEqualTo(w.number());
    JsonNode first = messages(w, replier).get(0);
    assertThat(first.path("status").asText()).isEqualTo("SENT");
    assertThat(first.path("providerMessageId").asText()).isEqualTo(sent.path("providerMessageId").asText());
    if (provider.equals("twilio")) {
      assertThat(sent.path("providerMessageId").asText()).startsWith("SM");
    }

    // The contact answers: through a signed Twilio webhook, or AWS's two-way SNS topic.
    ApiClient.Reply reply = api.post("/_local/inbound", null, Map.of("from", replier, "to", w.number(), "body", "Count me in!"));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    cloud.drainTriggers(DRAIN);
    JsonNode unread = api.get("/me/conversations?filter=unread", w.agent()).json();
    assertThat(unread.path("items").findValuesAsText("threadId")).containsExactly(w.byPhone().get(replier).path("threadId").asText());
    JsonNode thread = messages(w, replier); // opening it marks it read
    assertThat(thread).hasSize(2);
    assertThat(thread.get(1).path("body").asText()).isEqualTo("Count me in!");
    assertThat(thread.get(1).path("direction").asText()).isEqualTo("INBOUND");

    // The carrier reports delivery: a status callback, or an SMS event on the configuration set's topic.
    api.post("/_local/receipts", null, Map.of("providerMessageId", first.path("providerMessageId").asText(), "status", "delivered"));
    cloud.drainTriggers(DRAIN);
    assertThat(messages(w, replier).get(0).path("status").asText()).isEqualTo("DELIVERED");

    // STOP opts the contact out; Twilio numbers leave the confirmation to Twilio (no second text), AWS ones get ours.
    api.post("/_local/inbound", null, Map.of("from", stopper, "to", w.number(), "body", "STOP"));
    cloud.drainTriggers(DRAIN);
    assertThat(contact(w, stopper).path("optedOut").asBoolean()).isTrue();
    List<JsonNode> toStopper = outboxTo(stopper);
    if (provider.equals("twilio")) {
      assertThat(toStopper).hasSize(1);
    } else {
      assertThat(toStopper).hasSize(2);
      assertThat(toStopper.get(1).path("body").asText()).contains("unsubscribed");
      assertThat(toStopper.get(1).path("provider").asText()).isEqualTo("aws");
    }

    // START and HELP: Twilio answers both itself on its numbers as well, so we add nothing; AWS numbers get ours.
    api.post("/_local/inbound", null, Map.of("from", stopper, "to", w.number(), "body", "START"));
    cloud.drainTriggers(DRAIN);
    api.post("/_local/inbound", null, Map.of("from", stopper, "to", w.number(), "body", "HELP"));
    cloud.drainTriggers(DRAIN);
    assertThat(contact(w, stopper).path("optedOut").asBoolean()).isFalse();
    assertThat(outboxTo(stopper)).hasSize(provider.equals("twilio") ? 1 : 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"twilio", "aws"})
  void aDeliveryFailureReportedLaterFailsTheTextWithTheCarriersCode(String provider) throws Exception {
    String phone = Fixtures.randomNumber();
    World w = world(provider, List.of(phone));
    send(w, phone);
    cloud.drainTriggers(DRAIN);
    String id = messages(w, phone).get(0).path("providerMessageId").asText();
    Map<String, Object> receipt = provider.equals("twilio")
        ? Map.of("providerMessageId", id, "status", "undelivered", "errorCode", "30003")
        : Map.of("providerMessageId", id, "status", "failed", "errorCode", "CARRIER_UNREACHABLE");
    api.post("/_local/receipts", null, receipt);
    cloud.drainTriggers(DRAIN);
    JsonNode m = messages(w, phone).get(0);
    assertThat(m.path("status").asText()).isEqualTo("FAILED");
    assertThat(m.path("error").asText()).contains(provider.equals("twilio") ? "30003" : "CARRIER_UNREACHABLE");
  }

  @Test
  void twiliosErrorAnswersFailTheTextOrOptTheContactOut() throws Exception {
    World w = world("twilio", List.of("+15005550001", "+15005550004", "+15005550009"));
    w.byPhone().keySet().forEach(p -> send(w, p));
    cloud.drainTriggers(DRAIN);

    assertThat(messages(w, "+15005550001").get(0).path("status").asText()).isEqualTo("FAILED");
    assertThat(messages(w, "+15005550001").get(0).path("error").asText()).contains("21211");
    assertThat(messages(w, "+15005550009").get(0).path("error").asText()).contains("21614");
    JsonNode unsubscribed = messages(w, "+15005550004").get(0);
    assertThat(unsubscribed.path("status").asText()).isEqualTo("FAILED");
    assertThat(unsubscribed.path("error").asText()).contains("21610");
    assertThat(contact(w, "+15005550004").path("optedOut").asBoolean()).isTrue();
    assertThat(contact(w, "+15005550001").path("optedOut").asBoolean()).isFalse();
    assertThat(outboxTo("+15005550004")).isEmpty();
  }

  @Test
  void awsErrorAnswersFailTheTextOrOptTheContactOut() throws Exception {
    World w = world("aws", List.of("+15005550001", "+15005550004"));
    w.byPhone().keySet().forEach(p -> send(w, p));
    cloud.drainTriggers(DRAIN);

    JsonNode invalid = messages(w, "+15005550001").get(0);
    assertThat(invalid.path("status").asText()).isEqualTo("FAILED");
    assertThat(invalid.path("error").asText()).contains("not a valid phone number");
    JsonNode optedOut = messages(w, "+15005550004").get(0);
    assertThat(optedOut.path("status").asText()).isEqualTo("FAILED");
    assertThat(optedOut.path("error").asText()).contains("DESTINATION_PHONE_NUMBER_OPTED_OUT");
    assertThat(contact(w, "+15005550004").path("optedOut").asBoolean()).isTrue();
    assertThat(contact(w, "+15005550001").path("optedOut").asBoolean()).isFalse();
    assertThat(outboxTo("+15005550004")).isEmpty();
  }

  @Test
  void badProviderSettingsAreRefusedAtSaveNamingTheField() throws Exception {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String other = Fixtures.randomNumber();
    ApiClient.Reply r = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number), "numberProviders", Map.of(
            number, Map.of("provider", "twilio", "accountSid", "AC" + "1".repeat(32)),
            other, Map.of("provider", "carrier-pigeon"))));
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
        "numberProviders." + number + ".accountSid", "numberProviders." + other + ".provider");
    assertThat(r.text()).contains("not a Twilio account this deployment holds");

    ApiClient.Reply unlisted = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number), "numberProviders", Map.of(other, Map.of("provider", "aws"))));
    assertThat(unlisted.status()).as(unlisted.text()).isEqualTo(422);
    assertThat(unlisted.json().path("errors").findValuesAsText("field")).containsExactly("numberProviders." + other);

    ApiClient.Reply messagingService = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number), "numberProviders", Map.of(number, Map.of("provider", "twilio",
            "accountSid", ProviderApis.LOCAL_ACCOUNT_SID, "messagingServiceSid", "MG" + "a".repeat(32)))));
    assertThat(messagingService.status()).as(messagingService.text()).isEqualTo(201);
    assertThat(messagingService.json().path("numberProviders").path(number).path("stopConfirmation").asText())
        .isEqualTo("provider");
  }

  /** Issue 13.2: a text found SENDING is never sent twice and never left without a terminal status and reason. */
  @Test
  void aTextStuckInSendingIsSettledWithAReasonAndNeverSentTwice() throws Exception {
    String phone = Fixtures.randomNumber();
    World w = world("twilio", List.of(phone));
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    var dynamo = cloud.clients().dynamo();
    var t = new dev.goalpost.platform.Table(table);
    String threadId = w.byPhone().get(phone).path("threadId").asText();
    List<String> providerCalls = new ArrayList<>();
    dev.goalpost.messaging.outbound.SmsProvider recording = new dev.goalpost.messaging.outbound.SmsProvider() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public SendResult send(OutboundSms sms) {
        providerCalls.add(sms.messageId());
        if (sms.body().contains("boom")) {
          throw new IllegalStateException("socket closed mid-call");
        }
        return new SendResult.Sent("SMrecorded" + providerCalls.size());
      }
    };
    Instant claimedAt = ACTIVE;
    java.util.function.BiFunction<String, dev.goalpost.conversations.Message.Status, dev.goalpost.conversations.Message> put = (id, st) -> {
      var m = new dev.goalpost.conversations.Message(id, threadId, dev.goalpost.conversations.Message.Direction.OUTBOUND,
          id.contains("boom") ? "boom" : "Hi!", 1, "GSM7", st, "ari", w.goal(), null, "initial", ACTIVE, null, null, w.number(), phone);
      var item = new java.util.HashMap<>(dev.goalpost.conversations.MessageMapper.toItem(w.org(), m));
      if (st == dev.goalpost.conversations.Message.Status.SENDING) {
        item.put("sendingAt", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(claimedAt.toString()));
      }
      dynamo.putItem(b -> b.tableName(table).item(item));
      return m;
    };
    java.util.function.Function<dev.goalpost.conversations.Message, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> stored =
        m -> dynamo.getItem(b -> b.tableName(table).key(dev.goalpost.platform.Table.key(
            dev.goalpost.conversations.ThreadRepository.threadPartition(w.org(), threadId),
            dev.goalpost.conversations.MessageMapper.sortKey(m)))).item();
    java.util.function.BiFunction<dev.goalpost.conversations.Message, Instant, dev.goalpost.messaging.outbound.SenderService.Outcome> deliver =
        (m, at) -> new dev.goalpost.messaging.outbound.SenderService(dynamo, t, recording, java.time.Clock.fixed(at, java.time.ZoneOffset.UTC))
            .send(new dev.goalpost.messaging.OutboundQueue.Ref(w.org(), threadId, dev.goalpost.conversations.MessageMapper.sortKey(m),
                m.id(), w.number(), phone));

    var sending = put.apply("msg_stucksending000001", dev.goalpost.conversations.Message.Status.SENDING);
    // A redelivery while the first call may still run: come back later, touch nothing.
    assertThat(deliver.apply(sending, claimedAt.plusSeconds(30))).isEqualTo(dev.goalpost.messaging.outbound.SenderService.Outcome.RETRY);
    assertThat(stored.apply(sending).get("status").s()).isEqualTo("SENDING");
    // Past the sender's timeout nothing can still be running: FAILED with the reason, and no second send.
    assertThat(deliver.apply(sending, claimedAt.plusSeconds(120))).isEqualTo(dev.goalpost.messaging.outbound.SenderService.Outcome.DONE);
    assertThat(stored.apply(sending).get("status").s()).isEqualTo("FAILED");
    assertThat(stored.apply(sending).get("error").s()).contains("interrupted").contains("not sent again");
    assertThat(providerCalls).isEmpty();

    // A provider that throws mid-call settles the text as FAILED (outcome unknown) instead of leaving it SENDING.
    var boom = put.apply("msg_boomboomboom000001", dev.goalpost.conversations.Message.Status.QUEUED);
    assertThat(deliver.apply(boom, ACTIVE)).isEqualTo(dev.goalpost.messaging.outbound.SenderService.Outcome.DONE);
    assertThat(stored.apply(boom).get("status").s()).isEqualTo("FAILED");
    assertThat(stored.apply(boom).get("error").s()).contains("socket closed");
    assertThat(deliver.apply(boom, ACTIVE.plusSeconds(300))).isEqualTo(dev.goalpost.messaging.outbound.SenderService.Outcome.DONE);
    assertThat(providerCalls).containsExactly("msg_boomboomboom000001");
  }
}

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
 * a number carried by AWS sends through {@code PinpointSmsProvider} (the AWS SDK) to the local carrier's
 * SendMessages and hears back through moto's SNS → AwsSmsQueue → intake → inbound queue. Each runs the whole
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
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    ApiClient.Reply created = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number), "numberProviders", Map.of(number, setting(provider))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().path("numberProviders").path(number).path("provider").asText()).isEqualTo(provider);
    String g = created.json().path("id").asText();
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = new ArrayList<>();
    for (String p : phones) {
      rows.add(Map.of("phone", p, "firstName", "P"));
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
    api.freezeClock(ACTIVE);
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
    JsonNode c = w.byPhone().get(phone);
    ApiClient.Reply r = api.post("/threads/" + c.path("threadId").asText() + "/messages", w.agent(),
        Map.of("batchId", c.path("batchId").asText(), "scriptId", w.script()));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
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
}

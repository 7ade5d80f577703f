package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.conversations.ThreadIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Opt-out is org-wide whoever makes it (SPEC §6): an admin's PATCH, an import row, an agent's action on a
 * thread and a contact's STOP all follow one rule: the org's list, then every group's copy of the phone.
 */
@LocalCloudTest
class OrgOptOutIT {
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private final ApiClient api;
  private final LocalCloud cloud;

  OrgOptOutIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  record Org(String id, String admin, String a, String numberA, String b, String numberB) {}

  private Org org() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String numberA = Fixtures.randomNumber();
    String numberB = Fixtures.randomNumber();
    String a = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(numberA))).json().path("id").asText();
    String b = api.post("/groups", admin, Map.of("name", "Brooklyn", "timeZone", "America/New_York",
        "phoneNumbers", List.of(numberB))).json().path("id").asText();
    return new Org(org, admin, a, numberA, b, numberB);
  }

  /** Imports {@code phone} into {@code group} (optionally opted out); returns the contact id. */
  private String importContact(Org o, String group, String phone, boolean optedOut) {
    Map<String, Object> row = optedOut ? Map.of("phone", phone, "firstName", "Ana", "optedOut", true)
        : Map.of("phone", phone, "firstName", "Ana");
    ApiClient.Reply r = api.post("/groups/" + group + "/contacts", o.admin(), Map.of("contacts", List.of(row)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("rows").get(0).path("contactId").asText();
  }

  private JsonNode contact(Org o, String group, String contactId) {
    return api.get("/groups/" + group + "/contacts/" + contactId, o.admin()).json();
  }

  @Test
  void anAdminsOptOutInOneGroupReachesEveryGroupAndSoDoesTheOptIn() {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inA = importContact(o, o.a(), phone, false);
    String inB = importContact(o, o.b(), phone, false);

    ApiClient.Reply out = api.patch("/groups/" + o.a() + "/contacts/" + inA, o.admin(), Map.of("optedOut", true));

    assertThat(out.status()).as(out.text()).isEqualTo(200);
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).as("the other group's copy").isTrue();
    assertThat(contact(o, o.b(), inB).path("optOutSource").asText()).isEqualTo("admin");
    // A group that imports the phone afterwards starts with it opted out.
    String c = Fixtures.createGroup(api, o.admin(), "Chicago", "America/Chicago");
    assertThat(contact(o, c, importContact(o, c, phone, false)).path("optedOut").asBoolean()).isTrue();

    ApiClient.Reply in = api.patch("/groups/" + o.b() + "/contacts/" + inB, o.admin(), Map.of("optedOut", false));

    assertThat(in.status()).as(in.text()).isEqualTo(200);
    assertThat(contact(o, o.a(), inA).path("optedOut").asBoolean()).isFalse();
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).isFalse();
  }

  @Test
  void anImportedOptOutIsTheOrgsToo() {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inB = importContact(o, o.b(), phone, false);

    importContact(o, o.a(), phone, true);

    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).isTrue();
  }

  @Test
  void anAgentOptsAContactOutFromTheThreadAcrossTheOrg() throws Exception {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inA = importContact(o, o.a(), phone, false);
    String inB = importContact(o, o.b(), phone, false);
    String ari = Fixtures.member(api, o.admin(), o.id(), o.a(), "ari", "agent");
    String bea = Fixtures.member(api, o.admin(), o.id(), o.b(), "bea", "agent");
    String threadA = ThreadIds.of(o.a(), inA);

    assertThat(api.post("/threads/" + threadA + "/opt-out", bea, null).status()).as("not bea's group").isEqualTo(403);
    ApiClient.Reply r = api.post("/threads/" + threadA + "/opt-out", ari, null);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("alreadyOptedOut").asBoolean()).isFalse();
    assertThat(contact(o, o.a(), inA).path("optOutSource").asText()).isEqualTo("agent");
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).isTrue();
    // Brooklyn's agent can no longer text the phone.
    ApiClient.Reply send = api.post("/threads/" + ThreadIds.of(o.b(), inB) + "/messages", bea, Map.of("body", "Hi Ana"));
    assertThat(send.status()).as(send.text()).isEqualTo(409);
    assertThat(send.json().path("type").asText()).endsWith("/contact-opted-out");
    cloud.drainTriggers(DRAIN);
  }

  @Test
  void aContactsStopOverridesAnAdminsOptOutSoOnlyTheContactCanUndoIt() throws Exception {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inA = importContact(o, o.a(), phone, false);
    String inB = importContact(o, o.b(), phone, false);
    api.patch("/groups/" + o.b() + "/contacts/" + inB, o.admin(), Map.of("optedOut", true));

    ApiClient.Reply stop = api.post("/_local/inbound", null, Map.of("from", phone, "to", o.numberA(), "body", "STOP"));
    assertThat(stop.json().path("webhookStatus").asInt()).as(stop.text()).isEqualTo(200);
    cloud.drainTriggers(DRAIN);

    ApiClient.Reply undo = api.patch("/groups/" + o.b() + "/contacts/" + inB, o.admin(), Map.of("optedOut", false));
    assertThat(undo.status()).as(undo.text()).isEqualTo(409);
    assertThat(undo.json().path("type").asText()).endsWith("/opted-out-by-contact");
    assertThat(contact(o, o.a(), inA).path("optedOut").asBoolean()).isTrue();
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).isTrue();
    assertThat(contact(o, o.b(), inB).path("optOutSource").asText()).isEqualTo("contact");
    // The contact's own STOP is confirmed, once, even though an admin had opted the phone out before.
    api.post("/_local/inbound", null, Map.of("from", phone, "to", o.numberA(), "body", "stop"));
    cloud.drainTriggers(DRAIN);
    assertThat(outboxTo(phone)).filteredOn(m -> m.path("body").asText().contains("unsubscribed")).hasSize(1);
  }

  private List<JsonNode> outboxTo(String phone) {
    List<JsonNode> out = new java.util.ArrayList<>();
    api.get("/_local/outbox?to=" + phone.replace("+", "%2B"), null).json().path("items").forEach(out::add);
    return out;
  }

  private dev.goalpost.messaging.inbound.InboundService inbound(dev.goalpost.platform.CrashPoints hook) {
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    var queue = new dev.goalpost.messaging.OutboundQueue(cloud.clients().sqs(),
        cloud.resources().ref("OutboundQueue").orElseThrow());
    var events = new dev.goalpost.platform.events.DomainEvents(cloud.clients().events(),
        cloud.resources().ref("GoalpostBus").orElseThrow());
    return new dev.goalpost.messaging.inbound.InboundService(cloud.clients().dynamo(),
        new dev.goalpost.platform.Table(table), queue, events, cloud.clock(), new dev.goalpost.platform.Ids(), hook);
  }

  private static dev.goalpost.messaging.inbound.InboundSms sms(String from, String to, String body) {
    return new dev.goalpost.messaging.inbound.InboundSms("twilio",
        "SMrace" + java.util.UUID.randomUUID().toString().replace("-", ""), from, to, body, 0, List.of());
  }

  @Test
  void helpIsAnsweredEveryTimeAndUnstopOptsBackInAcrossTheOrgLikeStart() throws Exception {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inA = importContact(o, o.a(), phone, false);
    String inB = importContact(o, o.b(), phone, false);
    for (String body : List.of("HELP", "help", "STOP", "STOP", "UNSTOP", "unstop")) {
      api.post("/_local/inbound", null, Map.of("from", phone, "to", o.numberA(), "body", body));
      cloud.drainTriggers(DRAIN);
    }
    List<String> bodies = outboxTo(phone).stream().map(m -> m.path("body").asText()).toList();
    assertThat(bodies).filteredOn(b -> b.contains("volunteer team")).as("each HELP answered").hasSize(2);
    assertThat(bodies).filteredOn(b -> b.contains("unsubscribed")).as("the first STOP only").hasSize(1);
    assertThat(bodies).filteredOn(b -> b.contains("resubscribed")).as("the first UNSTOP only").hasSize(1);
    assertThat(contact(o, o.a(), inA).path("optedOut").asBoolean()).isFalse();
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).isFalse();
  }

  @Test
  void aStartCommittingRightAfterAStopLeavesEveryCopyAsTheListSays() throws Exception {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inA = importContact(o, o.a(), phone, false);
    String inB = importContact(o, o.b(), phone, false);
    // The STOP (to Austin's number) commits with Austin's copy; before anything follows from it, a START to
    // Brooklyn's number commits with Brooklyn's copy. The list item's two stream records then set every group's
    // copy from the list, which says "opted in": Austin's too.
    var start = inbound(dev.goalpost.platform.CrashPoints.NONE);
    var stop = inbound(point -> {
      if (point.equals("inbound.committed")) {
        start.receive(sms(phone, o.numberB(), "START"));
      }
    });

    stop.receive(sms(phone, o.numberA(), "STOP"));
    cloud.drainTriggers(DRAIN);

    assertThat(new dev.goalpost.contacts.OptOuts(cloud.clients().dynamo(),
        new dev.goalpost.platform.Table(cloud.resources().ref("GoalpostTable").orElseThrow()))
        .isOptedOut(o.id(), phone)).isFalse();
    assertThat(contact(o, o.a(), inA).path("optedOut").asBoolean()).as("Austin's copy").isFalse();
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).as("Brooklyn's copy").isFalse();
    // Each keyword that changed the list was confirmed once.
    assertThat(outboxTo(phone)).extracting(m -> m.path("body").asText())
        .anyMatch(b -> b.contains("unsubscribed")).anyMatch(b -> b.contains("resubscribed")).hasSize(2);
  }

  @Test
  void aLateRedeliveryOfAStopNeverUndoesTheStartThatFollowedIt() throws Exception {
    Org o = org();
    String phone = Fixtures.randomNumber();
    String inA = importContact(o, o.a(), phone, false);
    String inB = importContact(o, o.b(), phone, false);
    var stopSms = sms(phone, o.numberA(), "STOP");
    // The STOP commits and crashes before anything after its commit; the START follows and completes.
    var crashing = inbound(point -> {
      if (point.equals("inbound.committed")) {
        throw new IllegalStateException("crash");
      }
    });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> crashing.receive(stopSms)).hasMessage("crash");
    inbound(dev.goalpost.platform.CrashPoints.NONE).receive(sms(phone, o.numberA(), "START"));

    inbound(dev.goalpost.platform.CrashPoints.NONE).receive(stopSms); // the queue's late redelivery
    cloud.drainTriggers(DRAIN);

    assertThat(contact(o, o.a(), inA).path("optedOut").asBoolean()).isFalse();
    assertThat(contact(o, o.b(), inB).path("optedOut").asBoolean()).isFalse();
  }
}

package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.ContactChanges;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.platform.Table;
import dev.goalpost.workflows.Activation;
import dev.goalpost.workflows.Batch;
import dev.goalpost.workflows.BatchRepository;
import dev.goalpost.workflows.Reassignment;
import dev.goalpost.workflows.WorkflowKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A reassignment racing the activation of an ASSIGNED goal, each interleaving driven step by step: activation and
 * reassignment run in this JVM against the emulator, through a DynamoDB client that can stop a step where the race
 * needs it (a write that fails, a read after which the other side moves on) and that answers the open-batches
 * index as DynamoDB may right after a page is stored (eventually consistent: not there yet). Whatever the order,
 * the contact ends in exactly one batch its new agent can claim, its ref naming that batch.
 */
@LocalCloudTest
class ReassignmentIT {
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z"); // 10:00 in Chicago

  private final ApiClient api;
  private final LocalCloud cloud;

  ReassignmentIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record World(String org, String admin, String group, String goalId, String script, List<String> contactIds) {}

  /** An ASSIGNED goal, ACTIVE, not activated yet (no claim), over {@code n} contacts all assigned to ari. */
  private World world(int n) {
    api.freezeClock(LAUNCH);
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String group = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(Fixtures.randomNumber()))).json().path("id").asText();
    for (String a : List.of("ari", "bea", "cy")) {
      api.put("/groups/" + group + "/members/" + a, admin, Map.of("role", "agent"));
    }
    List<Object> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String phone = "+1737" + String.format("%07d", 5_560_000 + i); // one zone (Central): one batch per pool
      rows.add(Map.of("phone", phone, "firstName", "P" + i, "assignedAgentId", "ari"));
      ids.add(ContactRepository.contactId(org, group, phone));
    }
    assertThat(api.post("/groups/" + group + "/contacts", admin, Map.of("contacts", rows)).status()).isEqualTo(200);
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ASSIGNED");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally <event date>. Reply STOP to opt out"))));
    ApiClient.Reply made = api.post("/groups/" + group + "/goals", admin, goal);
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    JsonNode created = made.json();
    String goalId = created.path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    api.freezeClock(ACTIVE);
    return new World(org, admin, group, goalId, created.path("scripts").path("initial").get(0).path("id").asText(), ids);
  }

  /** The services of {@code w}'s goal on the emulator's own client (no seams). */
  record Real(DynamoDbClient dynamo, Table table, GoalRepository goals, Goal goal, ContactRepository contacts,
              Activation activation) {
    Reassignment reassignment() {
      return new Reassignment(dynamo, table, contacts, goals, activation);
    }
  }

  private Real real(World w) {
    DynamoDbClient dynamo = cloud.clients().dynamo();
    Table table = table();
    GoalRepository goals = new GoalRepository(dynamo, table);
    ContactRepository contacts = new ContactRepository(dynamo, table);
    return new Real(dynamo, table, goals, goals.get(w.org(), w.goalId()).orElseThrow(), contacts,
        new Activation(dynamo, table, contacts, goals, new BatchRepository(dynamo, table)));
  }

  private Table table() {
    return new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
  }

  /**
   * The emulator's client with seams: {@code failWrite} (a write that fails, as after the SDK's retries),
   * {@code afterRead} (run once right after the {@code nth} GetItem it matches returns: the other side of the race moves
   * then), and the open-batches index (a pool's batches) answered empty (a page just stored that the index does not show yet).
   */
  private DynamoDbClient seamed(Predicate<Object> failWrite, Predicate<GetItemRequest> readMatch, int nth,
                                Runnable afterRead) {
    DynamoDbClient real = cloud.clients().dynamo();
    java.util.concurrent.atomic.AtomicInteger matched = new java.util.concurrent.atomic.AtomicInteger();
    return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
        new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
          Object arg = args != null && args.length == 1 ? args[0] : null;
          if ((arg instanceof UpdateItemRequest || arg instanceof PutItemRequest) && failWrite.test(arg)) {
            throw new IllegalStateException("injected: the write failed");
          }
          if (arg instanceof QueryRequest q && Table.GSI1.equals(q.indexName()) && q.expressionAttributeValues().values()
              .stream().anyMatch(v -> v.s() != null && v.s().contains("#OPEN#"))) {
            return QueryResponse.builder().items(List.of()).count(0).build(); // the index has not caught up
          }
          Object out;
          try {
            out = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (arg instanceof GetItemRequest g && readMatch.test(g) && matched.incrementAndGet() == nth) {
            afterRead.run();
          }
          return out;
        });
  }

  private static boolean threadWrite(Object req) {
    return req instanceof UpdateItemRequest u && u.key().get(Table.SK).s().equals(ThreadRepository.SK_THREAD);
  }

  private Optional<Thread> thread(World w, String contactId) {
    return new ThreadRepository(cloud.clients().dynamo(), table()).get(w.org(), ThreadIds.of(w.group(), contactId));
  }

  private String refOf(World w, String contactId) {
    return thread(w, contactId).map(t -> t.batchRefs().get(w.goalId() + "#" + WorkflowKind.INITIAL.code()))
        .orElse(null);
  }

  /** The contact's batches in the goal: every batch listing it as a member. */
  private List<Batch> batchesListing(World w, String contactId) {
    BatchRepository batches = new BatchRepository(cloud.clients().dynamo(), table());
    List<Batch> out = new ArrayList<>(batches.pageBatches(w.org(), w.goalId(), WorkflowKind.INITIAL, 0));
    for (int k = 1; k <= 3; k++) {
      batches.get(w.org(), w.goalId(), WorkflowKind.INITIAL, Batch.transferNumber(contactId, k)).ifPresent(out::add);
    }
    return out.stream().filter(b -> b.members().stream().anyMatch(e -> e.contactId().equals(contactId))).toList();
  }

  /** The contact is in exactly one batch, of bea's pool, its ref naming it; bea claims and texts it. */
  private void assertBeasToText(World w, String contactId) {
    List<Batch> listing = batchesListing(w, contactId);
    assertThat(listing).as("batches listing the contact").hasSize(1);
    Batch b = listing.getFirst();
    assertThat(b.pool()).isEqualTo("bea");
    assertThat(refOf(w, contactId)).as("the contact's ref").isEqualTo(b.number());
    String bea = Fixtures.token(api, "bea", w.org(), List.of("agent"), List.of(w.group()));
    List<String> offered = new ArrayList<>();
    String batchId = null;
    for (int round = 0; round < 3 && !offered.contains(contactId); round++) {
      ApiClient.Reply claim = api.post("/goals/" + w.goalId() + "/workflows/initial/claim", bea, null);
      assertThat(claim.status()).as(claim.text()).isEqualTo(200);
      batchId = claim.json().path("batchId").asText();
      offered.clear();
      claim.json().path("contacts").forEach(c -> offered.add(c.path("contactId").asText()));
      if (!offered.contains(contactId)) {
        assertThat(api.post("/batches/" + batchId + "/release", bea, null).status()).isIn(200, 204);
      }
    }
    assertThat(offered).as("bea is offered the contact").contains(contactId);
    ApiClient.Reply sent = api.post("/threads/" + ThreadIds.of(w.group(), contactId) + "/messages", bea,
        Map.of("batchId", batchId, "scriptId", w.script()));
    assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    String ari = Fixtures.token(api, "ari", w.org(), List.of("agent"), List.of(w.group()));
    ApiClient.Reply ariClaim = api.post("/goals/" + w.goalId() + "/workflows/initial/claim", ari, null);
    assertThat(ariClaim.status()).as(ariClaim.text()).isEqualTo(200);
    List<String> ariOffered = new ArrayList<>();
    ariClaim.json().path("contacts").forEach(c -> ariOffered.add(c.path("contactId").asText()));
    assertThat(ariOffered).as("ari is not offered a contact reassigned away").doesNotContain(contactId);
  }

  private static ContactChanges assignTo(String agent) {
    return new ContactChanges(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), List.of(), List.of(),
        Optional.of(Optional.of(agent)), Optional.empty(), Optional.empty());
  }

  /**
   * Activation reads the contact as ari's and stores its page; its refs are not written yet when the reassignment
   * reads the contact's thread (no ref); they are written right after; the index does not show the page yet. The
   * reassignment used to look the batch up in the index (nothing), then move the ref from the transfer batch
   * (refused: the ref now names ari's batch) and delete the transfer batch: the contact stayed in ari's batch,
   * refused to ari, never offered to bea.
   */
  @Test
  void refsWrittenBetweenTheThreadReadAndTheMoveOnAPageTheIndexDoesNotShowYet() {
    World w = world(3);
    String c = w.contactIds().get(1);
    DynamoDbClient real = cloud.clients().dynamo();
    Table table = table();
    GoalRepository goals = new GoalRepository(real, table);
    Goal goal = goals.get(w.org(), w.goalId()).orElseThrow();
    // The page is stored; its refs are not (the activation stops right after its transaction).
    Activation stopped = new Activation(seamed(ReassignmentIT::threadWrite, g -> false, 0, () -> { }), table,
        new ContactRepository(real, table), goals, new BatchRepository(real, table));
    assertThatThrownBy(() -> stopped.complete(goal, WorkflowKind.INITIAL)).hasMessageContaining("injected");
    Activation activation = new Activation(real, table, new ContactRepository(real, table), goals,
        new BatchRepository(real, table));
    assertThat(activation.state(w.org(), w.goalId(), WorkflowKind.INITIAL).refsPending()).isTrue();
    assertThat(refOf(w, c)).isNull();
    assertThat(batchesListing(w, c)).extracting(Batch::pool).containsExactly("ari");

    // The reassignment; right after it read the contact's thread for its ref (its 2nd read of the thread, the
    // 1st is the thread's own follow-up), activation resumes and writes the refs.
    String threadPk = ThreadRepository.threadPartition(w.org(), ThreadIds.of(w.group(), c));
    DynamoDbClient racing = seamed(r -> false,
        g -> g.key().get(Table.PK).s().equals(threadPk) && g.key().get(Table.SK).s().equals(ThreadRepository.SK_THREAD),
        2, () -> assertThat(activation.complete(goal, WorkflowKind.INITIAL).finished()).isTrue());
    Reassignment reassignment = new Reassignment(racing, table, new ContactRepository(racing, table),
        new GoalRepository(racing, table), new Activation(racing, table, new ContactRepository(racing, table),
            new GoalRepository(racing, table), new BatchRepository(racing, table)));
    reassignment.assign(w.org(), w.group(), c, Optional.of("bea"), ACTIVE);

    assertBeasToText(w, c);
  }

  /**
   * Activation reads the new assignment (the patch came first) and cuts the contact into bea's batch before the
   * reassignment looks: the contact stays there. It used to get a transfer batch as well, its ref moved there, so
   * bea's own batch listed a contact whose ref named another batch.
   */
  @Test
  void activationThatReadTheNewAssignmentLeavesTheContactWhereItIs() {
    World w = world(3);
    String c = w.contactIds().get(0);
    Real r = real(w);
    assertThat(r.contacts().patch(w.org(), w.group(), c, assignTo("bea"), ACTIVE)).isPresent();
    assertThat(r.activation().complete(r.goal(), WorkflowKind.INITIAL).finished()).isTrue();
    r.reassignment()
        .reassigned(w.org(), w.group(), c, "ari", Optional.of("bea"), ACTIVE);

    assertThat(new BatchRepository(r.dynamo(), r.table()).get(w.org(), w.goalId(), WorkflowKind.INITIAL,
        "t" + c.substring(3))).as("no transfer batch").isEmpty();
    assertBeasToText(w, c);
  }

  /**
   * ari → cy, and cy claims the transfer batch (holds it); then cy → bea. The held transfer batch cannot be
   * replaced under cy, so the contact gets its second transfer batch in bea's pool (it used to stay out of every
   * batch bea could claim). cy's send through the batch it holds is refused.
   */
  @Test
  void aContactReassignedAgainWhileItsTransferBatchIsHeldGetsItsNextOne() {
    World w = world(3);
    String c = w.contactIds().get(0);
    Real r = real(w);
    assertThat(r.activation().complete(r.goal(), WorkflowKind.INITIAL).finished()).isTrue();
    Reassignment reassignment = r.reassignment();
    reassignment.assign(w.org(), w.group(), c, Optional.of("cy"), ACTIVE);
    String cy = Fixtures.token(api, "cy", w.org(), List.of("agent"), List.of(w.group()));
    ApiClient.Reply held = api.post("/goals/" + w.goalId() + "/workflows/initial/claim", cy, null);
    assertThat(held.status()).as(held.text()).isEqualTo(200);
    assertThat(held.json().path("batchId").asText()).endsWith("." + Batch.transferNumber(c, 1));

    reassignment.assign(w.org(), w.group(), c, Optional.of("bea"), ACTIVE);

    assertThat(refOf(w, c)).isEqualTo(Batch.transferNumber(c, 2));
    ApiClient.Reply late = api.post("/threads/" + ThreadIds.of(w.group(), c) + "/messages", cy,
        Map.of("batchId", held.json().path("batchId").asText(), "scriptId", w.script()));
    assertThat(late.status()).as(late.text()).isEqualTo(409);
    assertBeasToText(w, c);
  }

  /**
   * A reassignment that fails after the contact's patch (its transfer batch could not be written) is retried by
   * the client: the retry, which finds the contact already assigned to bea, finishes the move instead of
   * returning early.
   */
  @Test
  void aRetriedAssignmentFinishesTheMoveItsFirstAttemptLeft() {
    World w = world(3);
    String c = w.contactIds().get(2);
    Real r = real(w);
    assertThat(r.activation().complete(r.goal(), WorkflowKind.INITIAL).finished()).isTrue();

    DynamoDbClient failing = seamed(req -> req instanceof PutItemRequest p
        && p.item().get(Table.SK).s().startsWith("BATCH#" + WorkflowKind.INITIAL.code() + "#t"), g -> false, 0, () -> { });
    Reassignment first = new Reassignment(failing, r.table(), new ContactRepository(failing, r.table()),
        new GoalRepository(failing, r.table()), new Activation(failing, r.table(), new ContactRepository(failing, r.table()),
            new GoalRepository(failing, r.table()), new BatchRepository(failing, r.table())));
    assertThatThrownBy(() -> first.assign(w.org(), w.group(), c, Optional.of("bea"), ACTIVE))
        .hasMessageContaining("injected");
    assertThat(r.contacts().get(w.org(), w.group(), c).orElseThrow().assignedAgentId()).isEqualTo("bea");

    r.reassignment().assign(w.org(), w.group(), c, Optional.of("bea"), ACTIVE);
    assertBeasToText(w, c);
  }
}

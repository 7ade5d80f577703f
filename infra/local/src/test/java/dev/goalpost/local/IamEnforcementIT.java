package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.goals.GoalRepository;
import dev.goalpost.local.emulator.Emulator;
import dev.goalpost.local.iam.Caller;
import dev.goalpost.local.iam.Denial;
import dev.goalpost.local.iam.IamInterceptor;
import dev.goalpost.local.iam.IamMode;
import dev.goalpost.local.iam.Policy;
import dev.goalpost.local.iam.Statement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * IAM from the template, enforced: a second local cloud (same emulator, its own prefix) runs a copy of
 * template.yaml whose GoalsApiFunction lacks {@code dynamodb:UpdateItem}, and launching a goal there fails as it
 * would on a stack deployed from that template — 500, the goal never in the due index — while the shared cloud
 * (the real template) launches it. Denied calls fail with each service's own AccessDenied error and never
 * reach the emulator.
 */
@LocalCloudTest
class IamEnforcementIT {
  private static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");
  private static final String GOALS_POLICY_LINE =
      "Action: [dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem]";

  private static LocalCloud withoutUpdate;
  private final LocalCloud shared;
  private final ApiClient api;

  IamEnforcementIT(LocalCloud shared, ApiClient api) {
    this.shared = shared;
    this.api = api;
  }

  @BeforeAll
  static void startCloudWithoutGoalsUpdateItem(LocalCloud shared) throws IOException {
    String template = Files.readString(Path.of("../../template.yaml"));
    assertThat(template).as("GoalsApiFunction's DynamoDB statement").contains(GOALS_POLICY_LINE);
    Path copy = Path.of("target/iam-it/template-goals-without-update.yaml");
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, template.replace(GOALS_POLICY_LINE, GOALS_POLICY_LINE.replace(" dynamodb:UpdateItem,", "")));
    withoutUpdate = LocalCloud.start(LocalCloudOptions.defaults()
        .withTemplates(List.of(copy))
        .withPort(0)
        .withPrefix("iam-" + UUID.randomUUID().toString().substring(0, 6) + "-")
        .withEndpoint(shared.emulatorEndpoint())
        .withQueueTriggers(false)
        .withIam(IamMode.ENFORCE), new Emulator.External(shared.emulatorEndpoint()));
  }

  @AfterAll
  static void stop() {
    if (withoutUpdate != null) {
      withoutUpdate.close();
    }
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  @Test
  void launchFailsWhenGoalsApiMayNotUpdateItemAndSucceedsWithTheRealTemplate() {
    api.freezeClock(NOW);
    ApiClient denied = new ApiClient(withoutUpdate.baseUrl());

    Launch broken = launchAGoal(denied);
    assertThat(broken.status()).as(broken.text()).isEqualTo(500);
    assertThat(dueEntry(withoutUpdate, broken)).as("the goal's entry in the due index").isNull();
    String table = withoutUpdate.resources().attribute("GoalpostTable", "Arn").orElseThrow();
    assertThat(IamInterceptor.denials()).anySatisfy(d -> {
      assertThat(d.functionLogicalId()).isEqualTo("GoalsApiFunction");
      assertThat(d.action()).isEqualTo("dynamodb:UpdateItem");
      assertThat(d.resource()).isEqualTo(table);
    });

    Launch ok = launchAGoal(api);
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(dueEntry(shared, ok)).as("the goal's entry in the due index").isNotNull();
  }

  private record Launch(String org, String goal, int status, String text) {}

  private static Launch launchAGoal(ApiClient client) {
    String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    String admin = client.token("admin-" + org, org, List.of("admin"), List.of(), java.time.Duration.ofDays(365));
    ApiClient.Reply group = client.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of("+1512" + (2 + (int) (Math.random() * 8)) + String.format("%06d", (int) (Math.random() * 1_000_000)))));
    assertThat(group.status()).as(group.text()).isEqualTo(201);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "EVENT");
    body.put("name", "Winter rally");
    body.put("eventStartAt", "2026-12-20T18:00");
    body.put("workflowsAvailableAt", "2026-12-10T09:00");
    body.put("workflowsCloseAt", "2026-12-20T12:00");
    body.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name|friend>, rally soon! Reply STOP to opt out"))));
    ApiClient.Reply created = client.post("/groups/" + group.json().path("id").asText() + "/goals", admin, body);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String goal = created.json().path("id").asText();
    ApiClient.Reply launch = client.post("/goals/" + goal + "/launch", admin, null);
    return new Launch(org, goal, launch.status(), launch.text());
  }

  /** The goal's transitions item (its place in the due index), read by the harness itself (unchecked). */
  private static Map<String, AttributeValue> dueEntry(LocalCloud cloud, Launch l) {
    var res = cloud.clients().dynamo().getItem(r -> r.tableName(cloud.resources().ref("GoalpostTable").orElseThrow())
        .consistentRead(true)
        .key(Map.of("PK", AttributeValue.fromS(GoalRepository.goalPartition(l.org(), l.goal())),
            "SK", AttributeValue.fromS("TRANSITIONS"))));
    return res.hasItem() && !res.item().isEmpty() ? res.item() : null;
  }

  private Caller callerMayOnlyGetItems() {
    String table = shared.resources().attribute("GoalpostTable", "Arn").orElseThrow();
    return new Caller("ProbeFunction", "arn:aws:sts::123456789012:assumed-role/p-ProbeRole/p-Probe",
        new Policy(List.of(Statement.allow(List.of("dynamodb:GetItem"), List.of(table)),
            Statement.deny(List.of("sqs:*"), List.of("*")))),
        shared.stack().region(), shared.stack().accountId());
  }

  @Test
  void aDeniedDynamoDbWriteFailsWithAccessDeniedAndNeverReachesTheTable() {
    String table = shared.resources().ref("GoalpostTable").orElseThrow();
    Map<String, AttributeValue> item = Map.of("PK", AttributeValue.fromS("IAM#" + UUID.randomUUID()),
        "SK", AttributeValue.fromS("X"));

    assertThatThrownBy(() -> Caller.runAs(callerMayOnlyGetItems(),
        () -> shared.clients().dynamo().putItem(r -> r.tableName(table).item(item))))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::123456789012:assumed-role/"
              + "p-ProbeRole/p-Probe is not authorized to perform: dynamodb:PutItem on resource: "
              + shared.resources().attribute("GoalpostTable", "Arn").orElseThrow()
              + " because no identity-based policy allows the dynamodb:PutItem action");
        });

    assertThat(shared.clients().dynamo().getItem(r -> r.tableName(table).key(item).consistentRead(true)).hasItem()
        && !shared.clients().dynamo().getItem(r -> r.tableName(table).key(item).consistentRead(true)).item().isEmpty())
        .as("the denied item was written").isFalse();
    // an allowed call of the same caller goes through
    assertThat(Caller.runAs(callerMayOnlyGetItems(),
        () -> shared.clients().dynamo().getItem(r -> r.tableName(table).key(item))).sdkHttpResponse().isSuccessful()).isTrue();
  }

  @Test
  void sqsAndEventBridgeDenialsAreTheirServicesAccessDeniedErrors() {
    String queueUrl = shared.resources().ref("ActivationQueue").orElseThrow();
    String bus = shared.resources().ref("GoalpostBus").orElseThrow();

    assertThatThrownBy(() -> Caller.runAs(callerMayOnlyGetItems(),
        () -> shared.clients().sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody("{}"))))
        .isInstanceOfSatisfying(SqsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
          assertThat(e.awsErrorDetails().errorMessage()).endsWith("with an explicit deny in an identity-based policy");
        });
    assertThatThrownBy(() -> Caller.runAs(callerMayOnlyGetItems(),
        () -> shared.clients().events().putEvents(r -> r.entries(en -> en.eventBusName(bus).source("goalpost")
            .detailType("IamProbe").detail("{}")))))
        .isInstanceOfSatisfying(EventBridgeException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("events:PutEvents on resource: arn:aws:events:");
        });
    List<Denial> mine = IamInterceptor.denials().stream().filter(d -> d.functionLogicalId().equals("ProbeFunction")).toList();
    assertThat(mine).extracting(Denial::action).contains("sqs:SendMessage", "events:PutEvents");
  }
}

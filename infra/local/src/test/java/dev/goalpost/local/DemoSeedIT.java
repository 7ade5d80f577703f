package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.demo.DemoSeeder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --demo} seeds through the API, and seeding twice changes nothing. */
@LocalCloudTest
class DemoSeedIT {
  private final LocalCloud cloud;
  private final ApiClient api;

  DemoSeedIT(LocalCloud cloud, ApiClient api) {
    this.cloud = cloud;
    this.api = api;
  }

  @Test
  void seedingTwiceKeepsOneOfEachGroupAndPrintsUsableTokens() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    DemoSeeder seeder = new DemoSeeder(cloud.baseUrl());

    DemoSeeder.Seeded first = seeder.seed(out);
    DemoSeeder.Seeded second = seeder.seed(out);

    assertThat(first.warnings()).isEmpty();
    assertThat(second.warnings()).isEmpty();
    assertThat(second.groupIds()).isEqualTo(first.groupIds()).containsOnlyKeys("Austin", "Brooklyn");
    List<String> names = new ArrayList<>();
    api.get("/groups", second.adminToken()).json().path("items").forEach(g -> names.add(g.path("name").asText()));
    assertThat(names).containsExactlyInAnyOrder("Austin", "Brooklyn");

    String austin = first.groupIds().get("Austin");
    ApiClient.Reply contacts = api.get("/groups/" + austin + "/contacts", second.agentToken());
    assertThat(contacts.status()).isEqualTo(200);
    JsonNode items = contacts.json().path("items");
    assertThat(items.size()).isPositive();
    assertThat(items.get(0).path("phone").asText()).matches("\\+1(512|737)55501\\d\\d");
    assertThat(api.get("/groups/" + austin, second.managerToken()).status()).isEqualTo(200);
  }
}

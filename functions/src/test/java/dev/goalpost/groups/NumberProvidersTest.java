package dev.goalpost.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The provider of each group number: what is accepted, what is refused (naming the field), and the allow-list. */
class NumberProvidersTest {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  static final ProviderAccounts DEPLOYMENT = new ProviderAccounts(true, Set.of(ACCOUNT), "aws", Optional.empty());
  static final ProviderAccounts TWILIO_ONLY = new ProviderAccounts(false, Set.of(ACCOUNT), "twilio", Optional.empty());

  private static Group create(String json, ProviderAccounts accounts) throws Exception {
    Violations v = new Violations();
    return GroupChanges.parse(Fields.ofBody(Json.read(json), v), accounts).create("org1", "grp_1", NOW, v);
  }

  private static List<String> refusedFields(String json, ProviderAccounts accounts) {
    try {
      create(json, accounts);
    } catch (ApiException e) {
      return e.errors().stream().map(FieldError::field).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void aGroupMayHoldNumbersOfBothProviders() throws Exception {
    Group g = create("{\"name\":\"A\",\"timeZone\":\"America/Chicago\",\"phoneNumbers\":[\"+15125550100\",\"+15125550101\"],"
        + "\"numberProviders\":{\"+15125550100\":{\"provider\":\"twilio\",\"accountSid\":\"" + ACCOUNT + "\"},"
        + "\"+15125550101\":{\"provider\":\"aws\"}}}", DEPLOYMENT);
    assertThat(g.numberProviders()).containsEntry("+15125550100", NumberProvider.twilio(ACCOUNT, null))
        .containsEntry("+15125550101", NumberProvider.aws());
    assertThat(g.numberProviders().get("+15125550100").goalpostConfirmsStop()).isFalse(); // Twilio answers STOP
    assertThat(g.numberProviders().get("+15125550101").goalpostConfirmsStop()).isTrue();
    // Twilio's opt-out handling answers START and HELP too: the same setting covers every keyword.
    assertThat(g.numberProviders().get("+15125550100").goalpostAnswersKeywords()).isFalse();
    assertThat(g.numberProviders().get("+15125550101").goalpostAnswersKeywords()).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"+15125550100\":{\"provider\":\"carrier-pigeon\"}}|numberProviders.+15125550100.provider",
      "{\"+15125550100\":{}}|numberProviders.+15125550100.provider",
      "{\"+15125550100\":{\"provider\":\"twilio\"}}|numberProviders.+15125550100.accountSid",
      "{\"+15125550100\":{\"provider\":\"twilio\",\"accountSid\":\"AC12\"}}|numberProviders.+15125550100.accountSid",
      "{\"+15125550100\":{\"provider\":\"twilio\",\"accountSid\":\"AC11111111111111111111111111111111\"}}|numberProviders.+15125550100.accountSid",
      "{\"+15125550100\":{\"provider\":\"twilio\",\"accountSid\":\"" + "AC0123456789abcdef0123456789abcdef" + "\",\"messagingServiceSid\":\"MG1\"}}|numberProviders.+15125550100.messagingServiceSid",
      "{\"+15125550100\":{\"provider\":\"aws\",\"accountSid\":\"AC0123456789abcdef0123456789abcdef\"}}|numberProviders.+15125550100.accountSid",
      "{\"+15125550100\":{\"provider\":\"aws\",\"stopConfirmation\":\"maybe\"}}|numberProviders.+15125550100.stopConfirmation",
      "{\"+15125550100\":{\"provider\":\"aws\",\"region\":\"us-east-1\"}}|numberProviders.+15125550100.region",
      "{\"5125550100\":{\"provider\":\"aws\"}}|numberProviders.5125550100",
      "{\"+15125550199\":{\"provider\":\"aws\"}}|numberProviders.+15125550199",
      "{\"+15125550100\":\"twilio\"}|numberProviders.+15125550100"})
  void badSettingsAreRefusedNamingTheField(String providers, String field) {
    assertThat(refusedFields("{\"name\":\"A\",\"timeZone\":\"America/Chicago\",\"phoneNumbers\":[\"+15125550100\"],"
        + "\"numberProviders\":" + providers + "}", DEPLOYMENT)).containsExactly(field);
  }

  @Test
  void aProviderTheDeploymentHasNoAccountForIsRefused() {
    assertThat(refusedFields("{\"name\":\"A\",\"timeZone\":\"America/Chicago\",\"phoneNumbers\":[\"+15125550100\"],"
        + "\"numberProviders\":{\"+15125550100\":{\"provider\":\"aws\"}}}", TWILIO_ONLY))
        .containsExactly("numberProviders.+15125550100.provider");
  }

  @Test
  void removingANumberDropsItsSettingAndAPatchOfSettingsReplacesThem() throws Exception {
    Group g = create("{\"name\":\"A\",\"timeZone\":\"America/Chicago\",\"phoneNumbers\":[\"+15125550100\",\"+15125550101\"],"
        + "\"numberProviders\":{\"+15125550100\":{\"provider\":\"aws\"},\"+15125550101\":{\"provider\":\"aws\"}}}", DEPLOYMENT);
    Violations v = new Violations();
    Group fewer = GroupChanges.parse(Fields.ofBody(Json.read("{\"phoneNumbers\":[\"+15125550101\"]}"), v), DEPLOYMENT)
        .applyTo(g, NOW);
    assertThat(fewer.numberProviders()).containsOnlyKeys("+15125550101");
    Group twilio = GroupChanges.parse(Fields.ofBody(Json.read("{\"numberProviders\":{\"+15125550101\":{\"provider\":\"twilio\","
        + "\"accountSid\":\"" + ACCOUNT + "\",\"stopConfirmation\":\"goalpost\"}}}"), v), DEPLOYMENT).applyTo(fewer, NOW);
    assertThat(twilio.numberProviders()).isEqualTo(Map.of("+15125550101",
        new NumberProvider("twilio", ACCOUNT, null, "goalpost")));
    assertThatThrownBy(() -> GroupChanges.parse(Fields.ofBody(Json.read("{\"numberProviders\":{\"+15125550100\":"
        + "{\"provider\":\"aws\"}}}"), new Violations()), DEPLOYMENT).applyTo(twilio, NOW, new Violations()))
        .isInstanceOf(ApiException.class).hasMessageContaining("numberProviders");
  }

  @Test
  void theOperatorsAllowListNamesNumbersPerOrg() {
    var list = ProviderAccounts.parseAllowList("org-a=+15125550100|+15125550101; org-b=*");
    var accounts = new ProviderAccounts(true, Set.of(), "aws", Optional.of(list));
    assertThat(accounts.allows("org-a", "+15125550100")).isTrue();
    assertThat(accounts.allows("org-a", "+15125550199")).isFalse();
    assertThat(accounts.allows("org-b", "+15125550199")).isTrue();
    assertThat(accounts.allows("org-c", "+15125550100")).isFalse();
    assertThat(ProviderAccounts.ANY.allows("anyone", "+15125550100")).isTrue();
  }
}

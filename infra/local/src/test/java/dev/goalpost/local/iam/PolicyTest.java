package dev.goalpost.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.iam.Policy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private static final String TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/p-Table";

  @Test
  void anActionIsAllowedOnlyOnTheResourcesItsStatementNames() {
    Policy p = new Policy(List.of(Statement.allow(List.of("dynamodb:GetItem", "dynamodb:Query"), List.of(TABLE))));

    assertThat(p.evaluate("dynamodb:GetItem", TABLE)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:UpdateItem", TABLE)).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/p-Other"))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void theTableArnDoesNotCoverItsIndexesNorItsStreams() {
    Policy p = new Policy(List.of(Statement.allow(List.of("dynamodb:Query"), List.of(TABLE))));

    assertThat(p.evaluate("dynamodb:Query", TABLE + "/index/GSI1")).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("dynamodb:Query", TABLE + "/stream/2026-01-01T00:00:00.000")).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void resourceWildcardsSpanArnSegments() {
    Policy p = new Policy(List.of(
        Statement.allow(List.of("dynamodb:Query"), List.of(TABLE + "/index/*")),
        Statement.allow(List.of("dynamodb:GetRecords"), List.of(TABLE + "/stream/*")),
        Statement.allow(List.of("sqs:SendMessage"), List.of("arn:aws:sqs:*:123456789012:p-*"))));

    assertThat(p.evaluate("dynamodb:Query", TABLE + "/index/GSI1")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:Query", TABLE)).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("dynamodb:GetRecords", TABLE + "/stream/2026-01-01T00:00:00.000")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:p-Outbound.fifo")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("sqs:SendMessage", "arn:aws:sqs:eu-west-1:999999999999:p-Outbound")).isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void actionWildcardsMatchCaseInsensitivelyResourcesDoNot() {
    Policy p = new Policy(List.of(
        Statement.allow(List.of("dynamodb:Get*"), List.of(TABLE)),
        Statement.allow(List.of("SQS:*"), List.of("*")),
        Statement.allow(List.of("events:Put?vents"), List.of("*"))));

    assertThat(p.evaluate("dynamodb:GetItem", TABLE)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("DynamoDB:getitem", TABLE)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:BatchGetItem", TABLE)).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("dynamodb:GetItem", TABLE.toUpperCase())).isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(p.evaluate("sqs:DeleteMessage", "arn:aws:sqs:us-east-1:123456789012:q")).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("events:PutEvents", "arn:aws:events:us-east-1:123456789012:event-bus/b")).isEqualTo(Decision.ALLOW);
  }

  @Test
  void anExplicitDenyBeatsAnyAllowWhateverTheOrder() {
    Policy p = new Policy(List.of(
        Statement.deny(List.of("dynamodb:DeleteItem"), List.of("*")),
        Statement.allow(List.of("dynamodb:*"), List.of(TABLE))));

    assertThat(p.evaluate("dynamodb:PutItem", TABLE)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:DeleteItem", TABLE)).isEqualTo(Decision.EXPLICIT_DENY);
  }

  @Test
  void notActionAndNotResourceMatchEverythingElse() {
    Policy p = new Policy(List.of(
        new Statement(true, List.of("dynamodb:DeleteItem", "dynamodb:DeleteTable"), true, List.of(TABLE), false, false),
        new Statement(false, List.of("dynamodb:*"), false, List.of(TABLE, TABLE + "/index/*"), true, false)));

    assertThat(p.evaluate("dynamodb:PutItem", TABLE)).isEqualTo(Decision.ALLOW);
    assertThat(p.evaluate("dynamodb:DeleteItem", TABLE)).isEqualTo(Decision.IMPLICIT_DENY);
    // NotResource Deny: any dynamodb action on another table is denied outright
    assertThat(p.evaluate("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/x"))
        .isEqualTo(Decision.EXPLICIT_DENY);
  }

  @Test
  void wildcardsMatchLikeIam() {
    assertThat(Wildcards.matches("a*c", "abbbc", false)).isTrue();
    assertThat(Wildcards.matches("a*c", "ac", false)).isTrue();
    assertThat(Wildcards.matches("a*c", "acb", false)).isFalse();
    assertThat(Wildcards.matches("a?c", "abc", false)).isTrue();
    assertThat(Wildcards.matches("a?c", "ac", false)).isFalse();
    assertThat(Wildcards.matches("*", "", false)).isTrue();
    assertThat(Wildcards.matches("table/T", "table/T/index/GSI1", false)).isFalse();
    assertThat(Wildcards.matches("*/index/*", "table/T/index/GSI1", false)).isTrue();
  }

  @Test
  void deniedMessagesReadLikeAws() {
    Denial implicit = new Denial("Fn", "arn:aws:sts::123456789012:assumed-role/p-FnRole/p-Fn", "dynamodb",
        "dynamodb:UpdateItem", TABLE, Decision.IMPLICIT_DENY);
    Denial explicit = new Denial("Fn", "arn:aws:sts::123456789012:assumed-role/p-FnRole/p-Fn", "dynamodb",
        "dynamodb:UpdateItem", TABLE, Decision.EXPLICIT_DENY);

    assertThat(implicit.message()).isEqualTo("User: arn:aws:sts::123456789012:assumed-role/p-FnRole/p-Fn is not "
        + "authorized to perform: dynamodb:UpdateItem on resource: " + TABLE
        + " because no identity-based policy allows the dynamodb:UpdateItem action");
    assertThat(explicit.message()).endsWith("on resource: " + TABLE + " with an explicit deny in an identity-based policy");
  }
}

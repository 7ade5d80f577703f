package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.groups.HoursOfOperation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor's memory of number owners: only a guess at the keys, kept fresh enough to be cheap. */
class NumberRoutesTest {
  static final String NUMBER = "+15125550100";
  static final GroupRepository.NumberOwner AUSTIN = new GroupRepository.NumberOwner("org", "grp_a");
  static final GroupRepository.NumberOwner BROOKLYN = new GroupRepository.NumberOwner("org", "grp_b");

  /** A clock the test moves. */
  static final class Moving extends Clock {
    Instant now = Instant.parse("2026-12-02T16:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static Group group(String id) {
    return new Group(id, "org", "Austin", "America/Chicago", List.of(NUMBER), Map.of(), HoursOfOperation.DEFAULT,
        30, 60, 2000, Instant.EPOCH, Instant.EPOCH, 1);
  }

  @Test
  void anUnknownNumberIsAMissAndAVerifiedOneIsRememberedWithItsGroupForAMinute() {
    Moving clock = new Moving();
    NumberRoutes routes = new NumberRoutes(clock);
    assertThat(routes.get(NUMBER)).isEmpty();

    routes.put(NUMBER, AUSTIN, group("grp_a"), true);
    assertThat(routes.get(NUMBER)).hasValueSatisfying(r -> {
      assertThat(r.owner()).isEqualTo(AUSTIN);
      assertThat(r.group()).map(Group::id).hasValue("grp_a");
    });

    clock.now = clock.now.plus(NumberRoutes.GROUP_TTL).plusSeconds(1);
    // The owner is still a good guess; the group's settings are read again (in the same BatchGetItem).
    assertThat(routes.get(NUMBER)).hasValueSatisfying(r -> {
      assertThat(r.owner()).isEqualTo(AUSTIN);
      assertThat(r.group()).isEmpty();
    });
    // Verified again without reading the group: its settings stay as old as they were.
    routes.put(NUMBER, AUSTIN, group("grp_a"), false);
    assertThat(routes.get(NUMBER).orElseThrow().group()).isEmpty();

    clock.now = clock.now.plus(NumberRoutes.OWNER_TTL);
    assertThat(routes.get(NUMBER)).isEmpty();
  }

  @Test
  void aNumberThatMovedIsRememberedUnderItsNewOwnerWithoutAGroupAndAGoneOneIsForgotten() {
    Moving clock = new Moving();
    NumberRoutes routes = new NumberRoutes(clock);
    routes.put(NUMBER, AUSTIN, group("grp_a"), true);

    routes.remember(NUMBER, BROOKLYN); // the claim read with the reply named another group
    assertThat(routes.get(NUMBER)).hasValueSatisfying(r -> {
      assertThat(r.owner()).isEqualTo(BROOKLYN);
      assertThat(r.group()).as("the old group's settings are not reused").isEmpty();
    });
    // Verified with the old group's item would not make it fresh: a group read with the claim is required.
    routes.put(NUMBER, BROOKLYN, group("grp_b"), false);
    assertThat(routes.get(NUMBER).orElseThrow().group()).isEmpty();
    routes.put(NUMBER, BROOKLYN, group("grp_b"), true);
    assertThat(routes.get(NUMBER).orElseThrow().group()).map(Group::id).hasValue("grp_b");

    routes.forget(NUMBER);
    assertThat(routes.get(NUMBER)).isEmpty();
    clock.now = clock.now.plus(Duration.ofSeconds(1));
    assertThat(routes.get(NUMBER)).isEmpty();
  }
}

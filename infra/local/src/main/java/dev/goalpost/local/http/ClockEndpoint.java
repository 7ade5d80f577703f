package dev.goalpost.local.http;

import dev.goalpost.local.LocalClock;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /_local/clock} and {@code POST /_local/clock} with exactly one of
 * {@code {"set": "2026-12-01T15:00:00Z", "freeze"?: bool}}, {@code {"advance": "PT61M"}} or
 * {@code {"reset": true}}; every answer is {@code {"now", "frozen"}}. {@code set} keeps time running from the
 * new instant unless {@code freeze} is true.
 */
public final class ClockEndpoint {
  private final LocalClock clock;

  public ClockEndpoint(LocalClock clock) {
    this.clock = clock;
  }

  public OutgoingResponse get(IncomingRequest req) {
    return now();
  }

  public OutgoingResponse post(IncomingRequest req) {
    try {
      Violations v = new Violations();
      Fields f = LocalBodies.fields(req, v);
      f.allowOnly(Set.of("set", "freeze", "advance", "reset"));
      Optional<String> set = f.string("set");
      Optional<String> advance = f.string("advance");
      boolean reset = f.bool("reset").orElse(false);
      boolean freeze = f.bool("freeze").orElse(false);
      long given = (set.isPresent() ? 1 : 0) + (advance.isPresent() ? 1 : 0) + (reset ? 1 : 0);
      if (given != 1 && v.isEmpty()) {
        v.add("set", "give exactly one of 'set' (an instant), 'advance' (an ISO-8601 duration) or 'reset': true");
      }
      Instant at = set.map(s -> instant(s, v)).orElse(null);
      Duration by = advance.map(s -> duration(s, v)).orElse(null);
      LocalBodies.throwIfInvalid(v);
      if (at != null) {
        clock.set(at, freeze);
      } else if (by != null) {
        clock.advance(by);
      } else {
        clock.reset();
      }
      return now();
    } catch (ApiException e) {
      return LocalBodies.problem(e);
    }
  }

  private OutgoingResponse now() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("now", clock.instant().toString());
    body.put("frozen", clock.isFrozen());
    return OutgoingResponse.json(200, body);
  }

  private static Instant instant(String s, Violations v) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      v.add("set", "must be an ISO-8601 instant with an offset, e.g. 2026-12-01T15:00:00Z (got '" + s + "')");
      return null;
    }
  }

  private static Duration duration(String s, Violations v) {
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      v.add("advance", "must be an ISO-8601 duration, e.g. PT61M or P1DT2H (got '" + s + "')");
      return null;
    }
  }
}

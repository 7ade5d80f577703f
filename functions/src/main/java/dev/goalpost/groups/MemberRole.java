package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

public enum MemberRole {
  MANAGER, AGENT;

  public static Optional<MemberRole> parse(String raw) {
    for (MemberRole r : values()) {
      if (r.wire().equals(raw.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

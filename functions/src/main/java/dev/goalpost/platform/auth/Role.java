package dev.goalpost.platform.auth;

import java.util.Locale;
import java.util.Optional;

public enum Role {
  ADMIN, MANAGER, AGENT;

  public static Optional<Role> parse(String raw) {
    try {
      return Optional.of(Role.valueOf(raw.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

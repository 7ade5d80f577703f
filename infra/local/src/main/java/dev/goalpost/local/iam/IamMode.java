package dev.goalpost.local.iam;

import java.util.Locale;

/** {@code --iam}: whether hosted functions' AWS calls are checked against their template policies. */
public enum IamMode {
  /** Every call a function makes must be allowed by its own policy, or fails with AccessDenied as on AWS. */
  ENFORCE,
  /** Nothing is checked (to see whether a failure is a permission one). */
  OFF;

  public static IamMode parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "enforce", "on" -> ENFORCE;
      case "off" -> OFF;
      default -> throw new IllegalArgumentException("--iam takes enforce or off, got " + s);
    };
  }
}

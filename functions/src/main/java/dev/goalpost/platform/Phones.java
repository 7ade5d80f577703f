package dev.goalpost.platform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/** Phone numbers normalized to E.164 with libphonenumber. */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private Phones() {}

  /** The outcome of normalizing user input: the E.164 form, or why it was refused. */
  public sealed interface Normalized permits Valid, Invalid {}

  public record Valid(String e164) implements Normalized {}

  public record Invalid(String reason) implements Normalized {}

  /**
   * Normalizes {@code raw}; numbers without a leading '+' are read as national numbers of
   * {@code defaultRegion} (ISO 3166 code, e.g. "US").
   */
  public static Normalized normalize(String raw, String defaultRegion) {
    if (raw == null || raw.isBlank()) {
      return new Invalid("is required");
    }
    try {
      PhoneNumber n = UTIL.parse(raw.trim(), defaultRegion);
      if (!UTIL.isValidNumber(n)) {
        return new Invalid("'" + raw + "' is not a valid phone number"
            + (raw.trim().startsWith("+") ? "" : " for region " + defaultRegion + " (use E.164, e.g. +15125550101)"));
      }
      return new Valid(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return new Invalid("'" + raw + "' is not a phone number (" + e.getMessage() + ")");
    }
  }

  /** Strict E.164 (for a group's own numbers): must already start with '+'. */
  public static Normalized strictE164(String raw) {
    if (raw == null || !raw.trim().startsWith("+")) {
      return new Invalid("must be in E.164 form, e.g. +15125550100");
    }
    return normalize(raw, "ZZ");
  }

  /** The region (ISO code) a valid E.164 number belongs to, e.g. "US" for +1512… */
  public static Optional<String> regionOf(String e164) {
    try {
      String region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, "ZZ"));
      return Optional.ofNullable(region).filter(r -> !"ZZ".equals(r));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }
}

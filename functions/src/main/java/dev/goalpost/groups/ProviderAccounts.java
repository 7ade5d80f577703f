package dev.goalpost.groups;

import dev.goalpost.platform.Env;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The provider accounts this deployment holds, read from the function's environment at init: whether AWS
 * numbers can send ({@code SMS_CONFIGURATION_SET} set: the stack's configuration set), which Twilio accounts we hold credentials for
 * ({@code TWILIO_ACCOUNT_SID}, comma-separated: subaccounts of the account whose auth token is stored), the
 * default provider of numbers that name none ({@code SMS_PROVIDER}), and the operator's allow-list of numbers
 * per org ({@code NUMBER_ALLOW_LIST}: {@code org=+1512…|+1737…;org2=*}; unset means no list, every number
 * the accounts can send from may be registered).
 */
public record ProviderAccounts(boolean awsConfigured, Set<String> twilioAccounts, String defaultProvider,
                               Optional<Map<String, Set<String>>> allowList) {

  /** What tests and tools use when they do not care: both providers configured, no allow-list. */
  public static final ProviderAccounts ANY = new ProviderAccounts(true, Set.of(), NumberProvider.AWS, Optional.empty());

  public static ProviderAccounts fromEnv() {
    boolean aws = nonBlank("SMS_CONFIGURATION_SET").isPresent();
    Set<String> twilio = nonBlank("TWILIO_ACCOUNT_SID").map(s -> Arrays.stream(s.split(","))
        .map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
    String def = defaultName(nonBlank("SMS_PROVIDER").orElse("pinpoint"));
    return new ProviderAccounts(aws, twilio, def, nonBlank("NUMBER_ALLOW_LIST").map(ProviderAccounts::parseAllowList));
  }

  /** The provider names of {@code SMS_PROVIDER}: {@code pinpoint} is the AWS provider's older name. */
  public static String defaultName(String smsProvider) {
    return "pinpoint".equals(smsProvider) ? NumberProvider.AWS : smsProvider;
  }

  /** {@code org=+1…|+1…;org2=*}: numbers per org, {@code *} for any number (an org the operator trusts). */
  static Map<String, Set<String>> parseAllowList(String raw) {
    return Arrays.stream(raw.split(";")).map(String::trim).filter(e -> e.contains("="))
        .collect(Collectors.toUnmodifiableMap(e -> e.substring(0, e.indexOf('=')).trim(),
            e -> Arrays.stream(e.substring(e.indexOf('=') + 1).split("\\|")).map(String::trim)
                .filter(x -> !x.isEmpty()).collect(Collectors.toUnmodifiableSet()),
            (a, b) -> {
              var all = new java.util.HashSet<>(a);
              all.addAll(b);
              return Set.copyOf(all);
            }));
  }

  /** Whether {@code org} may register {@code e164} (always, when there is no allow-list). */
  public boolean allows(String org, String e164) {
    if (allowList.isEmpty()) {
      return true;
    }
    Set<String> numbers = allowList.get().getOrDefault(org, Set.of());
    return numbers.contains("*") || numbers.contains(e164);
  }

  /** The provider of a number that names none. */
  public NumberProvider defaultFor() {
    return NumberProvider.TWILIO.equals(defaultProvider) && twilioAccounts.size() == 1
        ? NumberProvider.twilio(twilioAccounts.iterator().next(), null)
        : new NumberProvider(defaultProvider, null, null, null);
  }

  static List<String> knownProviders() {
    return List.of(NumberProvider.AWS, NumberProvider.TWILIO);
  }

  private static Optional<String> nonBlank(String name) {
    return Env.get(name).filter(v -> !v.isBlank());
  }
}

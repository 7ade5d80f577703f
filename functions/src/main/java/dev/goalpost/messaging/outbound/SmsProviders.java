package dev.goalpost.messaging.outbound;

import dev.goalpost.groups.NumberProvider;
import dev.goalpost.groups.ProviderAccounts;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Secrets;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The providers a sender can send through, by name, each built on first use (a deployment with only Twilio
 * numbers never builds an End User Messaging SMS client). A number's own setting picks the provider; a number with none
 * uses {@code SMS_PROVIDER} ({@code pinpoint}/{@code aws}, {@code twilio}, or a ServiceLoader name such as the
 * local cloud's {@code local}).
 *
 * <p>Configuration (SenderFunction's environment): {@code SMS_CONFIGURATION_SET} (the stack's End User
 * Messaging SMS configuration set, named on every AWS send so its events bring the receipts),
 * {@code SMS_MAX_PRICE_PER_PART} (optional, USD);
 * {@code TWILIO_ACCOUNT_SID} (the default account), {@code TWILIO_AUTH_TOKEN_PARAMETER} (SSM),
 * {@code TWILIO_API_BASE_URL} (default https://api.twilio.com; the local carrier locally),
 * {@code TWILIO_STATUS_CALLBACK_URL} (our status webhook).
 */
public final class SmsProviders {
  private final String defaultName;
  private final Map<String, Supplier<SmsProvider>> factories;
  private final Map<String, SmsProvider> built = new HashMap<>();

  public SmsProviders(String defaultName, Map<String, Supplier<SmsProvider>> factories) {
    this.defaultName = defaultName;
    this.factories = Map.copyOf(factories);
  }

  /** Every number, whatever its setting, through {@code only} (tests). */
  public static SmsProviders of(SmsProvider only) {
    SmsProviders all = new SmsProviders(only.name(), Map.of());
    all.only = only;
    return all;
  }

  private SmsProvider only;

  public static SmsProviders fromEnv(AwsClients aws) {
    String name = ProviderAccounts.defaultName(Env.get("SMS_PROVIDER").filter(s -> !s.isBlank()).orElse("pinpoint"));
    Map<String, Supplier<SmsProvider>> f = new HashMap<>();
    String configurationSet = Env.get("SMS_CONFIGURATION_SET").filter(s -> !s.isBlank()).orElse(null);
    String maxPrice = Env.get("SMS_MAX_PRICE_PER_PART").filter(s -> !s.isBlank()).orElse(null);
    f.put(NumberProvider.AWS, () -> {
      if (configurationSet == null) {
        throw new IllegalStateException("An AWS number sent, but SMS_CONFIGURATION_SET is empty");
      }
      return new EndUserMessagingSmsProvider(aws.smsSender(), configurationSet, maxPrice);
    });
    // Read at init like every configuration; the SSM client itself is built on the first Twilio send only.
    java.util.Map<String, String> twilioEnv = new HashMap<>();
    Env.get("TWILIO_AUTH_TOKEN").ifPresent(v -> twilioEnv.put("TWILIO_AUTH_TOKEN", v));
    Env.get("TWILIO_AUTH_TOKEN_PARAMETER").ifPresent(v -> twilioEnv.put("TWILIO_AUTH_TOKEN_PARAMETER", v));
    String base = Env.get("TWILIO_API_BASE_URL").filter(s -> !s.isBlank()).orElse(TwilioSmsProvider.DEFAULT_BASE_URL);
    String callback = Env.get("TWILIO_STATUS_CALLBACK_URL").orElse(null);
    String account = Env.get("TWILIO_ACCOUNT_SID").filter(s -> !s.isBlank()).map(s -> s.split(",")[0].trim()).orElse(null);
    f.put(NumberProvider.TWILIO, () -> {
      Secrets secrets = Env.with(twilioEnv, () -> new Secrets(aws.ssm(), ClockSource.runtimeClock(), "TWILIO_AUTH_TOKEN"));
      return new TwilioSmsProvider(base, () -> secrets.get("TWILIO_AUTH_TOKEN").orElse(null), callback, account);
    });
    if (!f.containsKey(name)) {
      SmsProvider found = null;
      for (SmsProvider p : ServiceLoader.load(SmsProvider.class)) {
        if (p.name().equals(name)) {
          found = p;
        }
      }
      if (found == null) {
        throw new IllegalStateException("SMS_PROVIDER=" + name + " names no provider (aws/pinpoint and twilio are"
            + " built in; 'local' comes with the local cloud)");
      }
      SmsProvider local = found;
      f.put(name, () -> local);
    }
    return new SmsProviders(name, f);
  }

  /** The provider of a number: its setting's, else the default. */
  public SmsProvider forNumber(NumberProvider setting) {
    if (only != null) {
      return only;
    }
    String name = setting == null ? defaultName : setting.provider();
    synchronized (built) {
      SmsProvider p = built.get(name);
      if (p == null) {
        Supplier<SmsProvider> factory = factories.get(name);
        if (factory == null) {
          throw new IllegalStateException("No SMS provider named " + name);
        }
        p = factory.get();
        built.put(name, p);
      }
      return p;
    }
  }
}

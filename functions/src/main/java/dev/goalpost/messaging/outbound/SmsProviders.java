package dev.goalpost.messaging.outbound;

import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.Env;
import java.util.ServiceLoader;

/** Picks the SMS provider named by {@code SMS_PROVIDER} (default pinpoint). */
public final class SmsProviders {
  private SmsProviders() {}

  public static SmsProvider fromEnv(AwsClients aws) {
    String name = Env.get("SMS_PROVIDER").orElse("pinpoint");
    if (name.equals("pinpoint")) {
      return new PinpointSmsProvider(aws.pinpoint(), Env.require("PINPOINT_APPLICATION_ID"));
    }
    for (SmsProvider p : ServiceLoader.load(SmsProvider.class)) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalStateException("SMS_PROVIDER=" + name + " names no provider on the class path "
        + "(pinpoint is built in; 'local' comes with the local cloud)");
  }
}

package dev.goalpost.local.carrier;

import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * The carrier secrets of the local cloud. The functions read them exactly as in AWS — from SSM Parameter
 * Store SecureStrings named by template parameters — so the local cloud writes fixed local values into the
 * emulator's SSM under those names, and the local carrier signs its webhooks with the same values.
 */
public final class CarrierSecrets {
  /** Template parameter naming the SSM parameter → the local value stored there. */
  public static final Map<String, String> LOCAL_VALUES = Map.of(
      "TwilioAuthTokenParameter", "local-twilio-auth-token",
      "GenericWebhookSecretParameter", "local-generic-webhook-secret");

  private CarrierSecrets() {}

  /** Stores each secret under the SSM name the resolved template parameter gives. */
  public static void provision(Map<String, String> resolvedParameters) {
    try (var http = UrlConnectionHttpClient.builder().build();
         SsmClient ssm = SsmClient.builder().httpClient(http).build()) {
      LOCAL_VALUES.forEach((parameter, value) -> {
        String name = resolvedParameters.get(parameter);
        if (name != null && !name.isBlank()) {
          ssm.putParameter(PutParameterRequest.builder().name(name).value(value).type(ParameterType.SECURE_STRING)
              .overwrite(true).build());
        }
      });
    }
  }

  public static String twilioAuthToken() {
    return LOCAL_VALUES.get("TwilioAuthTokenParameter");
  }

  public static String genericSecret() {
    return LOCAL_VALUES.get("GenericWebhookSecretParameter");
  }
}

package dev.goalpost.local.template;

/**
 * Where the template is "deployed" locally: pseudo-parameter values and the prefix every physical name gets,
 * so two runs against one long-lived emulator (or the tests and a dev session) never share a table or queue.
 */
public record Stack(String prefix, String region, String accountId) {
  public static final String LOCAL_ACCOUNT = "123456789012";

  public String stackName() {
    String s = prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return s.isEmpty() ? "goalpost-local" : s;
  }

  public String physicalName(String logicalId) {
    return prefix + logicalId;
  }

  public String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + region + ":" + accountId + ":" + resource;
  }
}

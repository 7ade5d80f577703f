package dev.goalpost.local.functions;

/** One entry of a function's {@code Events}, reduced to what the local cloud emulates. */
public sealed interface EventSource {
  String name();

  /** {@code Type: HttpApi}. {@code authorizer} is null when the route is public ({@code Authorizer: NONE}). */
  record HttpApi(String name, String method, String path, String apiId, String authorizer) implements EventSource {}

  /** {@code Type: SQS}. */
  record Sqs(String name, String queueArn, int batchSize, boolean reportBatchItemFailures, boolean enabled)
      implements EventSource {}

  /**
   * {@code Type: DynamoDB}: an event source mapping on a table's stream. {@code batchingWindowSeconds} is
   * {@code MaximumBatchingWindowInSeconds}; {@code maxRetryAttempts} -1 is Lambda's default (until the record
   * expires); {@code onFailureArn} (nullable) is {@code DestinationConfig.OnFailure.Destination};
   * {@code tumblingWindowSeconds} 0 is no window (with one, the event carries {@code shardId} and {@code state}).
   */
  record DynamoDb(String name, String streamArn, String startingPosition, int batchSize, int batchingWindowSeconds,
                  boolean reportBatchItemFailures, boolean bisectOnError, int maxRetryAttempts, String onFailureArn,
                  int tumblingWindowSeconds, boolean enabled) implements EventSource {}

  /**
   * {@code Type: ScheduleV2} (EventBridge Scheduler) or {@code Type: Schedule} (EventBridge rule); {@code input}
   * is the JSON text the target gets, or null for the default event.
   */
  record Schedule(String name, String expression, String timeZone, String input, boolean enabled, boolean scheduler)
      implements EventSource {}

  /**
   * {@code Type: Cognito}: a user pool trigger ({@code Trigger: PreTokenGeneration}, …). The local cloud runs the
   * pre-token-generation trigger when {@code POST /_local/token} stands in for a sign-in; others are logged.
   */
  record Cognito(String name, java.util.List<String> triggers) implements EventSource {
    public Cognito {
      triggers = java.util.List.copyOf(triggers);
    }
  }

  /** A type the local cloud does not emulate (logged once at start). */
  record Unsupported(String name, String type) implements EventSource {}
}

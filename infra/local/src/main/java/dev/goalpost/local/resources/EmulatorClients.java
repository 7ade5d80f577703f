package dev.goalpost.local.resources;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local cloud's own SDK clients. Like the functions' clients they take endpoint, region and credentials
 * from the SDK's standard resolution (the {@code aws.*} system properties {@link dev.goalpost.local.LocalCloud}
 * sets), so both sides always talk to the same emulator.
 */
public final class EmulatorClients implements AutoCloseable {
  private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
  private final DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
  private final SqsClient sqs = SqsClient.builder().httpClient(http).build();
  private final EventBridgeClient events = EventBridgeClient.builder().httpClient(http).build();
  private final SchedulerClient scheduler = SchedulerClient.builder().httpClient(http).build();

  public DynamoDbClient dynamo() {
    return dynamo;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public EventBridgeClient events() {
    return events;
  }

  public SchedulerClient scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    dynamo.close();
    sqs.close();
    events.close();
    scheduler.close();
    http.close();
  }
}

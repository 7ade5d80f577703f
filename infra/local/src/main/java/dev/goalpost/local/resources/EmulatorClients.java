package dev.goalpost.local.resources;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local cloud's own SDK clients. Like the functions' clients they take endpoint, region and credentials
 * from the SDK's standard resolution (the {@code aws.*} system properties {@link dev.goalpost.local.LocalCloud}
 * sets), so both sides always talk to the same emulator.
 */
public final class EmulatorClients implements AutoCloseable {
  private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final EventBridgeClient events;
  private final SchedulerClient scheduler;
  private final SnsClient sns;
  private final DynamoDbStreamsClient streams;

  /** Clients configured by the SDK's standard resolution (the {@code aws.*} system properties). */
  public EmulatorClients() {
    this.dynamo = DynamoDbClient.builder().httpClient(http).build();
    this.sqs = SqsClient.builder().httpClient(http).build();
    this.events = EventBridgeClient.builder().httpClient(http).build();
    this.scheduler = SchedulerClient.builder().httpClient(http).build();
    this.sns = SnsClient.builder().httpClient(http).build();
    this.streams = DynamoDbStreamsClient.builder().httpClient(http).build();
  }

  /** Clients for one explicit emulator, leaving the JVM-wide settings alone (e.g. a second emulator in a test). */
  public EmulatorClients(String endpoint, String region) {
    URI uri = URI.create(endpoint);
    Region r = Region.of(region);
    StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    this.dynamo = DynamoDbClient.builder().httpClient(http).endpointOverride(uri).region(r).credentialsProvider(creds).build();
    this.sqs = SqsClient.builder().httpClient(http).endpointOverride(uri).region(r).credentialsProvider(creds).build();
    this.events = EventBridgeClient.builder().httpClient(http).endpointOverride(uri).region(r).credentialsProvider(creds).build();
    this.scheduler = SchedulerClient.builder().httpClient(http).endpointOverride(uri).region(r).credentialsProvider(creds).build();
    this.sns = SnsClient.builder().httpClient(http).endpointOverride(uri).region(r).credentialsProvider(creds).build();
    this.streams = DynamoDbStreamsClient.builder().httpClient(http).endpointOverride(uri).region(r).credentialsProvider(creds).build();
  }

  public SnsClient sns() {
    return sns;
  }

  /** DynamoDB Streams (the stream event source mappings read it). */
  public DynamoDbStreamsClient streams() {
    return streams;
  }

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
    sns.close();
    streams.close();
    http.close();
  }
}

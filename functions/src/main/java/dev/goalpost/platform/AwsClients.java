package dev.goalpost.platform;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The one place SDK clients are built: one URLConnection HTTP client shared by all of them, region from
 * {@code AWS_REGION}, and endpoints from the SDK's own {@code AWS_ENDPOINT_URL} /
 * {@code AWS_ENDPOINT_URL_<SERVICE>} variables (or the {@code aws.endpointUrl} system properties), which the
 * SDK resolves itself — there is no home-made endpoint setting.
 *
 * <p>Build it once, in a handler's no-arg constructor, so SnapStart snapshots the initialized clients.
 */
public final class AwsClients {
  private final SdkHttpClient http;
  private volatile DynamoDbClient dynamo;
  private volatile SqsClient sqs;
  private PinpointClient pinpoint;
  private PinpointClient pinpointSender;
  private EventBridgeClient events;
  private SsmClient ssm;

  public AwsClients() {
    this.http = UrlConnectionHttpClient.builder().build();
  }

  public DynamoDbClient dynamo() {
    DynamoDbClient c = dynamo;
    if (c == null) {
      synchronized (this) {
        if (dynamo == null) {
          dynamo = DynamoDbClient.builder().httpClient(http).build();
        }
        c = dynamo;
      }
    }
    return c;
  }

  /** Built on first use only: functions that never send or read secrets never pay for these clients. */
  public synchronized PinpointClient pinpoint() {
    if (pinpoint == null) {
      pinpoint = PinpointClient.builder().httpClient(http).build();
    }
    return pinpoint;
  }

  /**
   * A Pinpoint client for sending texts: no SDK retries, so one {@code SendMessages} leaves at most once per
   * attempt and the sender decides what a failure means (retry only when nothing can have left).
   */
  public synchronized PinpointClient pinpointSender() {
    if (pinpointSender == null) {
      pinpointSender = PinpointClient.builder().httpClient(http)
          .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.api.RetryStrategy.class.cast(
              software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())))
          .build();
    }
    return pinpointSender;
  }

  public synchronized EventBridgeClient events() {
    if (events == null) {
      events = EventBridgeClient.builder().httpClient(http).build();
    }
    return events;
  }

  public synchronized SsmClient ssm() {
    if (ssm == null) {
      ssm = SsmClient.builder().httpClient(http).build();
    }
    return ssm;
  }

  public SqsClient sqs() {
    SqsClient c = sqs;
    if (c == null) {
      synchronized (this) {
        if (sqs == null) {
          sqs = SqsClient.builder().httpClient(http).build();
        }
        c = sqs;
      }
    }
    return c;
  }
}

package dev.goalpost.platform;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
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
  private PinpointSmsVoiceV2Client smsSender;
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

  /**
   * An End User Messaging SMS client for sending texts, built on first use only: no SDK retries, so one
   * {@code SendTextMessage} leaves at most once per attempt and the sender decides what a failure means
   * (retry only when nothing can have left). Endpoint override: {@code AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}
   * or {@code aws.endpointUrlPinpointSmsVoiceV2} (the local carrier).
   */
  public synchronized PinpointSmsVoiceV2Client smsSender() {
    if (smsSender == null) {
      smsSender = PinpointSmsVoiceV2Client.builder().httpClient(http)
          .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.api.RetryStrategy.class.cast(
              software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())))
          .build();
    }
    return smsSender;
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

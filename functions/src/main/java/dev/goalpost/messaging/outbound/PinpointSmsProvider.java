package dev.goalpost.messaging.outbound;

import java.util.Map;
import software.amazon.awssdk.services.pinpoint.PinpointClient;
import software.amazon.awssdk.services.pinpoint.model.AddressConfiguration;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.DirectMessageConfiguration;
import software.amazon.awssdk.services.pinpoint.model.MessageRequest;
import software.amazon.awssdk.services.pinpoint.model.MessageResult;
import software.amazon.awssdk.services.pinpoint.model.MessageType;
import software.amazon.awssdk.services.pinpoint.model.PinpointException;
import software.amazon.awssdk.services.pinpoint.model.SMSMessage;
import software.amazon.awssdk.services.pinpoint.model.SendMessagesRequest;

/**
 * Amazon Pinpoint {@code SendMessages}: one SMS from the group's number ({@code OriginationNumber}) to one
 * address. Pinpoint answers per address with a {@code DeliveryStatus}: SUCCESSFUL is sent; THROTTLED,
 * TEMPORARY_FAILURE and UNKNOWN_FAILURE are retried; OPT_OUT opts the contact out; PERMANENT_FAILURE and
 * DUPLICATE fail for good. Throttling and 5xx errors of the call itself are retried by the queue.
 *
 * <p>At most once: the client is built without SDK retries ({@code AwsClients#pinpointSender}), a connection
 * that never opened is retried (nothing left), and any other client error (a read timeout, a broken
 * connection: the request may have been sent) fails the text with its reason instead of sending it twice.
 *
 * <p><b>Receipts: an open assumption (issue 15).</b> {@code AwsSmsEvents} matches End User Messaging SMS
 * configuration-set events to our text by their {@code messageId}, taken to be the {@code MessageId} this call
 * returns. AWS's documentation does not support that, for two reasons (checked 2026-12):
 * <ul>
 *   <li>Configuration-set events exist only for messages that named the configuration set when sent: "When SMS
 *       events occur (such as delivery or failure events), they are routed to the destination associated with
 *       the configuration set that you specified when you sent the message. ... If you don't specify a
 *       configuration set with an event destination, the API doesn't emit event records"
 *       (docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets.html). Pinpoint's {@code SMSMessage}
 *       has no configuration-set field (SDK 2.58.0 model: Body, Keyword, MediaUrl, MessageType,
 *       OriginationNumber, SenderId, Substitutions, EntityId, TemplateId), and no page says a Pinpoint send
 *       picks one up from its number.</li>
 *   <li>Pinpoint reports its own SMS sends as {@code _SMS.*} events on the project's event stream (Kinesis or
 *       Firehose), carrying {@code attributes.message_id}
 *       (docs.aws.amazon.com/pinpoint/latest/developerguide/event-streams-data-sms.html); the template consumes
 *       no such stream, and no page equates that id, or this call's, with a configuration-set event's
 *       {@code messageId} (docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html).</li>
 * </ul>
 * So until a real account shows otherwise, receipts of AWS numbers may never arrive (texts then stay SENT; no
 * rule waits for a receipt). The fix that needs no assumption: send with End User Messaging SMS
 * {@code SendTextMessage} (SDK {@code pinpointsmsvoicev2}), which takes {@code ConfigurationSetName} and
 * {@code Context} ({@code goalpostMessageId}, which the events' {@code context} carries) and returns the
 * {@code MessageId} of that same service's events; or consume the Pinpoint event stream. Not done here: it
 * changes this provider, its IAM and the local carrier's recorded shapes (see the README's deploy guide).
 */
public final class PinpointSmsProvider implements SmsProvider {
  private final PinpointClient pinpoint;
  private final String applicationId;

  public PinpointSmsProvider(PinpointClient pinpoint, String applicationId) {
    this.pinpoint = pinpoint;
    this.applicationId = applicationId;
  }

  @Override
  public String name() {
    return dev.goalpost.groups.NumberProvider.AWS;
  }

  @Override
  public SendResult send(OutboundSms sms) {
    SendMessagesRequest request = SendMessagesRequest.builder()
        .applicationId(applicationId)
        .messageRequest(MessageRequest.builder()
            .addresses(Map.of(sms.to(), AddressConfiguration.builder().channelType(ChannelType.SMS).build()))
            .messageConfiguration(DirectMessageConfiguration.builder()
                .smsMessage(SMSMessage.builder().body(sms.body()).messageType(MessageType.TRANSACTIONAL)
                    .originationNumber(sms.from()).build())
                .build())
            .context(Map.of("goalpostMessageId", sms.messageId()))
            .build())
        .build();
    try {
      MessageResult result = pinpoint.sendMessages(request).messageResponse().result().get(sms.to());
      if (result == null) {
        return new SendResult.Retry("Pinpoint returned no result for the address");
      }
      return classify(result.deliveryStatusAsString(), result.messageId(), result.statusMessage());
    } catch (PinpointException e) {
      boolean transientError = e.statusCode() == 429 || e.statusCode() >= 500 || e.isThrottlingException();
      return transientError
          ? new SendResult.Retry("Pinpoint " + e.statusCode() + ": " + e.awsErrorDetails().errorMessage())
          : new SendResult.Failed("Pinpoint refused the message (" + e.statusCode() + "): "
              + e.awsErrorDetails().errorMessage());
    } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
      return clientError(e);
    }
  }

  /** A client-side failure: retried only when the connection never opened (the request cannot have left). */
  static SendResult clientError(software.amazon.awssdk.core.exception.SdkClientException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.http.HttpConnectTimeoutException
          || (t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).contains("connect"))) {
        return new SendResult.Retry("Pinpoint unreachable (" + t.getClass().getSimpleName() + "): nothing was sent");
      }
    }
    return new SendResult.Failed("Pinpoint did not answer (" + e.getMessage()
        + "); the text may or may not have left, so it is not sent again");
  }

  static SendResult classify(String deliveryStatus, String messageId, String statusMessage) {
    return switch (deliveryStatus == null ? "" : deliveryStatus) {
      case "SUCCESSFUL" -> new SendResult.Sent(messageId);
      case "THROTTLED", "TEMPORARY_FAILURE", "UNKNOWN_FAILURE" ->
          new SendResult.Retry(deliveryStatus + ": " + statusMessage);
      case "OPT_OUT" -> new SendResult.OptedOut("The carrier reports the number opted out (OPT_OUT)");
      default -> new SendResult.Failed(deliveryStatus + ": " + statusMessage);
    };
  }
}

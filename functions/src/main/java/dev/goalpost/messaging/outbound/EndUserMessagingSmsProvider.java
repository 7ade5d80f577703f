package dev.goalpost.messaging.outbound;

import dev.goalpost.groups.NumberProvider;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.AccessDeniedException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ConflictException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.InternalServerException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.MessageType;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.PinpointSmsVoiceV2Exception;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ResourceNotFoundException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.SendTextMessageRequest;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ThrottlingException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ValidationException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ValidationExceptionField;

/**
 * AWS numbers: AWS End User Messaging SMS v2 {@code SendTextMessage}
 * (docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html), one text to one
 * recipient: {@code DestinationPhoneNumber} (the contact), {@code OriginationIdentity} (the group's number in
 * E.164; the API also takes its phone-number id or ARN, or a pool), {@code MessageBody},
 * {@code MessageType} TRANSACTIONAL, {@code ConfigurationSetName} (the stack's {@code SmsConfigurationSet},
 * whose SNS event destination is {@code SmsEventsTopic}), {@code Context} {@code goalpostMessageId} (our id),
 * and {@code MaxPrice} per message part when the {@code SmsMaxPricePerPart} parameter sets one. 1 request
 * per text; the answer is {@code {"MessageId": "…"}}.
 *
 * <p><b>Why this call and not Pinpoint {@code SendMessages}:</b> End User Messaging SMS emits delivery events
 * only for a message that named a configuration set when it was sent ("When SMS events occur ... they are
 * routed to the destination associated with the configuration set that you specified when you sent the
 * message", docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets.html); {@code SendMessages}
 * cannot name one. Here the configuration set is named on every send. The events' attribute table
 * (docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html) describes
 * {@code messageId} as the unique id End User Messaging SMS generates when it accepts the message, which is
 * what this call returns as {@code MessageId} ("The unique identifier for the message", API_SendTextMessage),
 * and {@code context} as the send's {@code Context} ("If you do, that data is logged to the event
 * destination", API_SendTextMessage). So {@code AwsSmsEvents} matches a receipt to the text by
 * {@code messageId}, the provider id stored at SENT; {@code context.goalpostMessageId} (ours) is there to
 * check it on a real account.
 *
 * <p><b>TRANSACTIONAL</b>, not PROMOTIONAL: every text is one person writing to one contact inside a
 * conversation the contact answers; AWS defines TRANSACTIONAL as "messages that are critical or
 * time-sensitive" and PROMOTIONAL as those that are not, and some countries and carriers deliver
 * promotional traffic later or not at quiet times. It is also what the earlier Pinpoint provider sent, so a
 * number registered for it (10DLC campaign) keeps matching (a mismatch is a ConflictException
 * MESSAGE_TYPE_MISMATCH, failed with that reason).
 *
 * <p>Answers (the API's documented errors, JSON 1.0 {@code __type} plus {@code Reason}):
 * <pre>
 * 200 {MessageId}                                        → SENT with the MessageId
 * ThrottlingException, ServiceQuotaExceededException, InternalServerException (and any 5xx)
 *                                                        → retry with backoff (the queue's; nothing was sent)
 * ConflictException reason DESTINATION_PHONE_NUMBER_OPTED_OUT (the number is on the opt-out list)
 *                                                        → opted out org-wide, never retried (like Twilio 21610)
 * ValidationException naming DestinationPhoneNumber, or reason CANNOT_PARSE / INVALID_PARAMETER on it
 *                                                        → FAILED: invalid destination number
 * ValidationException (other), ConflictException (other), ResourceNotFoundException (no such number or
 * configuration set)                                     → FAILED with the reason
 * AccessDeniedException (IAM, or Reason ACCOUNT_DISABLED / INSUFFICIENT_ACCOUNT_REPUTATION)
 *                                                        → FAILED "AWS refused to send: access denied …"
 * no connection (refused, unknown host, connect timeout) → retry (nothing left)
 * a timeout or broken connection after the request left → FAILED: outcome unknown, not sent again
 * </pre>
 * At most once: the client is built without SDK retries ({@code AwsClients#smsSender}); the queue retries
 * only what cannot have been sent. IAM: {@code sms-voice:SendTextMessage} on the configuration set and the
 * origination identities (phone numbers, pools) of the account (template, SenderFunction).
 */
public final class EndUserMessagingSmsProvider implements SmsProvider {
  private final PinpointSmsVoiceV2Client sms;
  private final String configurationSetName;
  private final String maxPrice;

  /**
   * @param configurationSetName the stack's configuration set (its events feed the receipts); required
   * @param maxPrice             USD per message part, or null for none
   */
  public EndUserMessagingSmsProvider(PinpointSmsVoiceV2Client sms, String configurationSetName, String maxPrice) {
    if (configurationSetName == null || configurationSetName.isBlank()) {
      throw new IllegalArgumentException("A configuration set is required: without one AWS sends no receipts");
    }
    this.sms = sms;
    this.configurationSetName = configurationSetName;
    this.maxPrice = maxPrice == null || maxPrice.isBlank() ? null : maxPrice.trim();
  }

  @Override
  public String name() {
    return NumberProvider.AWS;
  }

  @Override
  public SendResult send(OutboundSms text) {
    SendTextMessageRequest request = SendTextMessageRequest.builder()
        .destinationPhoneNumber(text.to())
        .originationIdentity(text.from())
        .messageBody(text.body())
        .messageType(MessageType.TRANSACTIONAL)
        .configurationSetName(configurationSetName)
        .context(Map.of("goalpostMessageId", text.messageId()))
        .maxPrice(maxPrice)
        .build();
    try {
      String id = sms.sendTextMessage(request).messageId();
      return id == null || id.isBlank()
          ? new SendResult.Failed("AWS accepted the text without a MessageId; it is not sent again")
          : new SendResult.Sent(id);
    } catch (PinpointSmsVoiceV2Exception e) {
      return classify(e);
    } catch (SdkClientException e) {
      return clientError(e);
    }
  }

  /** The service's answer in our words (the table in the class comment). */
  static SendResult classify(PinpointSmsVoiceV2Exception e) {
    String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    String code = e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    return switch (e) {
      case ThrottlingException t -> new SendResult.Retry("AWS throttled the send (ThrottlingException): " + message);
      case ServiceQuotaExceededException q -> new SendResult.Retry("AWS quota exceeded (" + q.reasonAsString()
          + "): " + message);
      case InternalServerException s -> new SendResult.Retry("AWS internal error (InternalServerException): " + message);
      case ConflictException c when "DESTINATION_PHONE_NUMBER_OPTED_OUT".equals(c.reasonAsString()) ->
          new SendResult.OptedOut("AWS: the destination number is on the opt-out list (ConflictException "
              + "DESTINATION_PHONE_NUMBER_OPTED_OUT)");
      case ConflictException c -> new SendResult.Failed("AWS refused the text (ConflictException "
          + c.reasonAsString() + "): " + message);
      case ValidationException v when onDestination(v) -> new SendResult.Failed("AWS: the destination is not a"
          + " valid phone number (ValidationException " + v.reasonAsString() + "): " + message);
      case ValidationException v -> new SendResult.Failed("AWS refused the request (ValidationException "
          + v.reasonAsString() + "): " + message);
      case ResourceNotFoundException r -> new SendResult.Failed("AWS: no such " + r.resourceTypeAsString() + " "
          + r.resourceId() + " (is the number in this account and region, and the configuration set deployed?)");
      case AccessDeniedException a -> new SendResult.Failed("AWS refused to send: access denied"
          + (a.reasonAsString() == null ? " (IAM: the sender needs sms-voice:SendTextMessage on the number and"
              + " the configuration set)" : " (" + a.reasonAsString() + ")") + ": " + message);
      default -> e.statusCode() >= 500
          ? new SendResult.Retry("AWS " + e.statusCode() + " " + code + ": " + message)
          : new SendResult.Failed("AWS refused the text (" + e.statusCode() + " " + code + "): " + message);
    };
  }

  /** Whether a ValidationException is about the destination number (its field list, else its message). */
  private static boolean onDestination(ValidationException v) {
    if (v.hasFields()) {
      for (ValidationExceptionField f : v.fields()) {
        if ("DestinationPhoneNumber".equalsIgnoreCase(f.name())) {
          return true;
        }
      }
    }
    String m = String.valueOf(v.awsErrorDetails() == null ? v.getMessage() : v.awsErrorDetails().errorMessage());
    return m.contains("DestinationPhoneNumber") || m.toLowerCase(java.util.Locale.ROOT).contains("destination phone number");
  }

  /** A client-side failure: retried only when the connection never opened (the request cannot have left). */
  static SendResult clientError(SdkClientException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.http.HttpConnectTimeoutException
          || (t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).contains("connect"))) {
        return new SendResult.Retry("AWS unreachable (" + t.getClass().getSimpleName() + "): nothing was sent");
      }
    }
    return new SendResult.Failed("AWS did not answer (" + e.getMessage()
        + "); the outcome is unknown, so the text is not sent again");
  }
}

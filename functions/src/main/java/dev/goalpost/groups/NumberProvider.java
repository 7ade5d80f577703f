package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Which provider carries one of a group's numbers, and what that provider needs to send from it.
 *
 * <ul>
 *   <li>{@code aws}: an AWS End User Messaging SMS number (sent with Pinpoint {@code SendMessages} from the
 *       deployment's Pinpoint project; replies and receipts arrive through SNS).</li>
 *   <li>{@code twilio}: a Twilio number of account {@code accountSid} (which must be an account this deployment
 *       holds: the {@code TwilioAccountSid} parameter); sent through Twilio's Messages API, from the number or,
 *       when given, through the Messaging Service {@code messagingServiceSid}.</li>
 * </ul>
 *
 * @param stopConfirmation who answers a STOP: {@code provider} (the carrier's own confirmation only: Twilio's
 *     default opt-out handling answers STOP itself and then blocks every further text, so a second confirmation
 *     from us would fail with 21610) or {@code goalpost} (we send ours). Defaults: twilio → provider,
 *     aws → goalpost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NumberProvider(String provider, String accountSid, String messagingServiceSid, String stopConfirmation) {
  public static final String AWS = "aws";
  public static final String TWILIO = "twilio";
  public static final String BY_PROVIDER = "provider";
  public static final String BY_GOALPOST = "goalpost";

  public NumberProvider {
    Objects.requireNonNull(provider, "provider");
    if (stopConfirmation == null) {
      stopConfirmation = TWILIO.equals(provider) ? BY_PROVIDER : BY_GOALPOST;
    }
  }

  public static NumberProvider aws() {
    return new NumberProvider(AWS, null, null, null);
  }

  public static NumberProvider twilio(String accountSid, String messagingServiceSid) {
    return new NumberProvider(TWILIO, accountSid, messagingServiceSid, null);
  }

  /** Whether Goalpost itself answers a STOP on this number. */
  @JsonIgnore
  public boolean goalpostConfirmsStop() {
    return BY_GOALPOST.equals(stopConfirmation);
  }
}

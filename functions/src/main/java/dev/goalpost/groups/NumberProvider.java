package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Which provider carries one of a group's numbers, and what that provider needs to send from it.
 *
 * <ul>
 *   <li>{@code aws}: an AWS End User Messaging SMS number of the deployment's account and region (sent with
 *       {@code SendTextMessage} naming the stack's configuration set; replies and receipts arrive through
 *       SNS).</li>
 *   <li>{@code twilio}: a Twilio number of account {@code accountSid} (which must be an account this deployment
 *       holds: the {@code TwilioAccountSid} parameter); sent through Twilio's Messages API, from the number or,
 *       when given, through the Messaging Service {@code messagingServiceSid}.</li>
 * </ul>
 *
 * @param stopConfirmation who answers the opt-out keywords (STOP, START, HELP): {@code provider} (the
 *     carrier's own answers only: Twilio's default opt-out handling, Advanced Opt-Out included, answers STOP,
 *     START and HELP on its numbers itself, and after a STOP blocks every further text, so a second answer from
 *     us would either reach the contact twice or fail with 21610) or {@code goalpost} (we send ours). Goalpost
 *     records the keyword's effect (opt-out, opt-in) either way. The name is kept from when it covered STOP
 *     only. Defaults: twilio → provider, aws → goalpost.
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
    return goalpostAnswersKeywords();
  }

  /** Whether Goalpost itself answers the keywords (STOP, START, HELP) on this number, not the provider. */
  @JsonIgnore
  public boolean goalpostAnswersKeywords() {
    return BY_GOALPOST.equals(stopConfirmation);
  }
}

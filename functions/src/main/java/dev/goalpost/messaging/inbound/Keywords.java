package dev.goalpost.messaging.inbound;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The opt-out, opt-in and help keywords of SPEC §6, recognized only when they are the WHOLE message.
 *
 * <pre>
 * STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPT-OUT, OPT OUT → STOP
 * START, UNSTOP                                                   → START
 * HELP                                                            → HELP
 * </pre>
 *
 * <p>Matching, in order: Unicode NFKC (so full-width "ＳＴＯＰ" is STOP); strip whitespace at both ends; strip
 * anything that is not a letter or digit at both ends ("STOP.", "Stop!", "'stop'", "STOP 🛑"); collapse inner
 * whitespace runs to one space ("OPT   OUT") and read any dash as '-' ("OPT–OUT", from smart punctuation);
 * upper-case (locale-independent). What is left must equal a
 * keyword.
 *
 * <p>Why punctuation is ignored: a reply of "stop" is a per-se revocation of consent under the FCC's rule
 * (47 CFR 64.1200(a)(12), in force since April 2025), and a reasonable person reads "Stop." or "STOP!!" the same
 * way; carriers and CTIA's Messaging Principles and Best Practices expect opt-out words to be honored however
 * they are typed. Erring toward an opt-out costs one contact; erring the other way texts someone who said stop.
 *
 * <p>What is NOT a keyword: a sentence that contains one ("Please stop texting me", "stop it", "I want to
 * cancel"), as SPEC §6 requires, matching Twilio's own STOP filtering ("only single-word messages will trigger
 * the block"). Such messages reach the thread like any other reply, unread; the agent reading it opts the
 * contact out from the conversation ({@code POST /threads/{threadId}/opt-out}), which is how natural-language
 * revocations are honored.
 */
public final class Keywords {

  public enum Keyword {
    /** Opt out across the org and send one confirmation. */
    STOP,
    /** Opt back in. */
    START,
    /** Answer with the help reply. */
    HELP
  }

  private static final Map<String, Keyword> WORDS = Map.ofEntries(
      Map.entry("STOP", Keyword.STOP),
      Map.entry("STOPALL", Keyword.STOP),
      Map.entry("UNSUBSCRIBE", Keyword.STOP),
      Map.entry("CANCEL", Keyword.STOP),
      Map.entry("END", Keyword.STOP),
      Map.entry("QUIT", Keyword.STOP),
      Map.entry("OPT-OUT", Keyword.STOP),
      Map.entry("OPT OUT", Keyword.STOP),
      Map.entry("START", Keyword.START),
      Map.entry("UNSTOP", Keyword.START),
      Map.entry("HELP", Keyword.HELP));

  private Keywords() {}

  public static Optional<Keyword> classify(String body) {
    if (body == null) {
      return Optional.empty();
    }
    String text = Normalizer.normalize(body, Normalizer.Form.NFKC).strip();
    int start = 0;
    int end = text.length();
    while (start < end && !Character.isLetterOrDigit(text.codePointAt(start))) {
      start += Character.charCount(text.codePointAt(start));
    }
    while (end > start && !Character.isLetterOrDigit(text.codePointBefore(end))) {
      end -= Character.charCount(text.codePointBefore(end));
    }
    StringBuilder word = new StringBuilder(end - start);
    boolean inSpace = false;
    for (int i = start; i < end; ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        inSpace = true;
        continue;
      }
      if (inSpace) {
        word.append(' ');
        inSpace = false;
      }
      // Phones' smart punctuation may turn OPT-OUT's hyphen into another dash.
      word.appendCodePoint(Character.getType(c) == Character.DASH_PUNCTUATION ? '-' : c);
    }
    return Optional.ofNullable(WORDS.get(word.toString().toUpperCase(Locale.ROOT)));
  }
}

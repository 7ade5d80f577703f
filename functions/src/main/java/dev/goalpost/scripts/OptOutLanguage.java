package dev.goalpost.scripts;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a script tells the contact how to opt out (SPEC §3: initial and reminder scripts must).
 *
 * <p>It counts when the script
 * <ul>
 *   <li>tells the contact to send an opt-out keyword (SPEC §6: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 *       OPT-OUT, OPT OUT): "Reply STOP", "text 'STOP'", "reply with STOP", "Responde STOP";</li>
 *   <li>uses a carrier short form: "STOP2END", "stop=end", "STOP to end", "STOP to quit";</li>
 *   <li>or speaks of opting out or unsubscribing at all: "to opt out", "opt-out", "unsubscribe".</li>
 * </ul>
 * Keywords are whole words, so "stopped", "unstoppable", "nonstop" or "weekend" never count, and a bare keyword
 * without an instruction ("don't stop believing", "the end") does not either.
 */
public final class OptOutLanguage {
  private static final String KEYWORD = "(?:stopall|stop|unsubscribe|cancel|end|quit|opt[- ]?out)(?![\\w-])";
  private static final String QUOTES = "[\"'“”‘’«»*]*";
  private static final String VERB = "(?:reply|respond|text|txt|send|message|msg|responde|responda|envía|envia)";

  private static final List<Pattern> PATTERNS = List.of(
      // "Reply STOP", "Text back 'STOP'", "reply with STOP", "Reply: STOP"
      pattern("\\b" + VERB + "\\b(?:\\s+back)?(?:\\s+with)?[\\s:]*" + QUOTES + KEYWORD),
      // "STOP2END", "stop=end", "STOP 2 quit"
      pattern("\\bstop(?:all)?\\s*[2=]\\s*(?:end|quit|stop|cancel|unsubscribe|opt[- ]?out)\\b"),
      // "STOP to end", "STOP to quit"
      pattern("\\bstop(?:all)?\\s+to\\s+(?:end|quit|cancel|stop|be\\s+removed)\\b"),
      // "to opt out", "opt-out", "optout", "unsubscribe"
      pattern("\\b(?:opt[- ]?out|unsubscribe)\\b"));

  private OptOutLanguage() {}

  public static boolean contains(String body) {
    return body != null && PATTERNS.stream().anyMatch(p -> p.matcher(body).find());
  }

  private static Pattern pattern(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  }
}

package dev.goalpost.messaging.inbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The field rules every inbound format shares (Twilio form posts and our generic JSON), so a message is
 * accepted or refused the same way whichever carrier brought it.
 */
final class Fields {
  /** Twilio's limit for a message body, in characters (code points). */
  static final int MAX_BODY_CHARS = 1600;
  /** Twilio's limit on attachments per MMS. */
  static final int MAX_MEDIA = 10;
  /** Room for any carrier id we know (Twilio's are 34 characters) without letting an id become a payload. */
  static final int MAX_ID_CHARS = 128;

  /** '+' then 8 to 15 digits, the first not 0: E.164 allows at most 15 digits and no country code starts with 0. */
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
  /** Ids become DynamoDB keys and log fields: printable ASCII without spaces or quotes. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]+");

  private Fields() {}

  /** The phone as given, trimmed, when it looks like E.164. */
  static String phone(String field, String raw) throws MalformedWebhook {
    if (raw == null || raw.isBlank()) {
      throw new MalformedWebhook(field, "is required (an E.164 phone number, e.g. +15125550100)");
    }
    String trimmed = raw.strip();
    if (!E164.matcher(trimmed).matches()) {
      throw new MalformedWebhook(field,
          "must be an E.164 phone number ('+' then 8 to 15 digits, e.g. +15125550100), got '" + quote(trimmed) + "'");
    }
    return trimmed;
  }

  /** A carrier's message id: required, at most 128 characters of letters, digits and . _ : - */
  static String id(String field, String raw) throws MalformedWebhook {
    if (raw == null || raw.isBlank()) {
      throw new MalformedWebhook(field, "is required (the carrier's message id)");
    }
    String trimmed = raw.strip();
    if (trimmed.length() > MAX_ID_CHARS) {
      throw new MalformedWebhook(field, "must be at most " + MAX_ID_CHARS + " characters, got " + trimmed.length());
    }
    if (!ID.matcher(trimmed).matches()) {
      throw new MalformedWebhook(field,
          "may only contain letters, digits and . _ : - , got '" + quote(trimmed) + "'");
    }
    return trimmed;
  }

  /** A message body, kept exactly as sent; empty is allowed (media-only messages). */
  static String body(String field, String raw) throws MalformedWebhook {
    if (raw == null) {
      throw new MalformedWebhook(field, "is required (send an empty string for a media-only message)");
    }
    // Count code points only when the char count could exceed the limit: cheap for ordinary bodies.
    if (raw.length() > MAX_BODY_CHARS) {
      long chars = raw.codePointCount(0, raw.length());
      if (chars > MAX_BODY_CHARS) {
        throw new MalformedWebhook(field, "must be at most " + MAX_BODY_CHARS + " characters, got " + chars);
      }
    }
    return raw;
  }

  /** An attachment URL: absolute https with a host (carriers host media behind TLS; we fetch it later). */
  static String mediaUrl(String field, String raw) throws MalformedWebhook {
    if (raw == null || raw.isBlank()) {
      throw new MalformedWebhook(field, "is required (an https URL)");
    }
    String trimmed = raw.strip();
    try {
      URI uri = new URI(trimmed);
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new MalformedWebhook(field, "must be an absolute https URL, got '" + quote(trimmed) + "'");
      }
    } catch (URISyntaxException e) {
      throw new MalformedWebhook(field, "must be an absolute https URL, got '" + quote(trimmed) + "'");
    }
    return trimmed;
  }

  /** Echo carrier input in an error without flooding logs or leaking control characters into them. */
  static String quote(String raw) {
    return quote(raw, 40);
  }

  static String quote(String raw, int maxChars) {
    String shown = raw.length() > maxChars ? raw.substring(0, maxChars) + "…" : raw;
    StringBuilder out = new StringBuilder(shown.length());
    shown.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}

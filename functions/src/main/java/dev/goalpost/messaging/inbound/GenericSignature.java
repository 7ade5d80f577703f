package dev.goalpost.messaging.inbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a carrier other than Twilio signs the JSON webhooks it sends us. This is our public contract with
 * carriers; change it only with a new version prefix.
 *
 * <h2>Signing a request</h2>
 * Example: with the secret {@code whsec_example}, sending at 2026-01-01T00:00:00Z the body
 * {@code {"id":"msg-1","from":"+15125550123","to":"+15125550100","body":"STOP"}} carries
 * <pre>
 * X-Goalpost-Timestamp: 1767225600
 * X-Goalpost-Signature: v1=90ab165e925f59fb3bd7b97cd29e26bf587765cf094f723df7f6b901b47179ba
 * </pre>
 * (reproduce it with {@code printf '%s' '1767225600.<body>' | openssl dgst -sha256 -hmac whsec_example}).
 *
 * <ul>
 *   <li>{@code X-Goalpost-Timestamp}: when you sent the request, in Unix seconds (decimal ASCII digits only).
 *   <li>{@code X-Goalpost-Signature}: {@code "v1=" + lowercase hex(HMAC-SHA256(secret, timestamp + "." + body))}
 *       where {@code secret} is the shared secret we issued you (its UTF-8 bytes are the key), {@code timestamp}
 *       is the exact header value, and {@code body} is the exact request body bytes you send (UTF-8 JSON; sign
 *       the bytes, not a re-serialization). Hex is accepted in either case.
 *   <li>While we rotate your secret, send one signature per secret, comma separated:
 *       {@code v1=<hex>,v1=<hex>}. We accept the request when any {@code v1} matches; entries with another
 *       prefix are ignored, so a future {@code v2} can be sent alongside.
 * </ul>
 *
 * <h2>What we refuse (401)</h2>
 * A missing or non-numeric timestamp, a signature header without a well-formed {@code v1=} entry, a signature
 * that does not match, and — so that a captured request cannot be replayed — a timestamp more than
 * {@link #TOLERANCE 5 minutes} before or after our clock. Keep your clock on NTP. Exactly 5 minutes is accepted.
 */
public final class GenericSignature {
  public static final String TIMESTAMP_HEADER = "X-Goalpost-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Goalpost-Signature";
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String V1 = "v1=";
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final int SHA256_HEX_CHARS = 64;
  /** Unix seconds fit in 12 digits until the year 33658; more digits are not a timestamp. */
  private static final int MAX_TIMESTAMP_DIGITS = 12;

  private GenericSignature() {}

  /**
   * The {@code X-Goalpost-Signature} value for a body sent at {@code timestamp} (for the local carrier and
   * tests).
   *
   * @throws IllegalArgumentException if the secret is null or empty
   */
  public static String sign(String secret, long timestamp, String body) {
    Objects.requireNonNull(body, "body");
    return V1 + HexFormat.of().formatHex(hmac(requireSecret(secret), Long.toString(timestamp), body));
  }

  /** Whether the request is authentic and fresh; never throws. */
  public static Verdict verify(
      String secret, String timestampHeader, String signatureHeader, String rawBody, Instant now) {
    if (secret == null || secret.isEmpty()) {
      return new Verdict.Invalid("no signing secret is configured for this carrier");
    }
    if (now == null) {
      return new Verdict.Invalid("no clock to check the timestamp against");
    }
    if (timestampHeader == null || timestampHeader.isBlank()) {
      return new Verdict.Invalid(TIMESTAMP_HEADER + " is missing");
    }
    String timestamp = timestampHeader.strip();
    if (timestamp.length() > MAX_TIMESTAMP_DIGITS || !timestamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new Verdict.Invalid(TIMESTAMP_HEADER + " must be Unix seconds (digits only), got '"
          + Fields.quote(timestamp) + "'");
    }
    if (signatureHeader == null || signatureHeader.isBlank()) {
      return new Verdict.Invalid(SIGNATURE_HEADER + " is missing");
    }
    if (rawBody == null) {
      return new Verdict.Invalid("the request has no body");
    }

    byte[] expected = hmac(secret, timestamp, rawBody);
    boolean sawV1 = false;
    boolean matched = false;
    for (String entry : signatureHeader.split(",", -1)) {
      String e = entry.strip();
      if (!e.startsWith(V1)) {
        continue;
      }
      byte[] presented = parseHex(e.substring(V1.length()));
      if (presented == null) {
        return new Verdict.Invalid(SIGNATURE_HEADER + ": a v1= signature must be " + SHA256_HEX_CHARS
            + " hex characters (HMAC-SHA256)");
      }
      sawV1 = true;
      matched |= MessageDigest.isEqual(expected, presented);
    }
    if (!sawV1) {
      return new Verdict.Invalid(SIGNATURE_HEADER + " has no v1= signature");
    }
    if (!matched) {
      return new Verdict.Invalid(SIGNATURE_HEADER + " does not match the body and timestamp (wrong secret, or"
          + " the body was changed)");
    }

    // Checked after the signature, so only an authentic request is ever called a replay.
    Duration skew = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), now);
    if (skew.abs().compareTo(TOLERANCE) > 0) {
      return new Verdict.Invalid(TIMESTAMP_HEADER + " is " + skew.abs().toSeconds() + " s "
          + (skew.isNegative() ? "ahead of" : "behind") + " our clock, outside the ±"
          + TOLERANCE.toSeconds() + " s window: a replayed request or a sender clock that is off");
    }
    return Verdict.VALID;
  }

  private static byte[] parseHex(String hex) {
    if (hex.length() != SHA256_HEX_CHARS) {
      return null;
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return null;
      }
    }
    return HexFormat.of().parseHex(hex);
  }

  private static String requireSecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a signing secret is required");
    }
    return secret;
  }

  private static byte[] hmac(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }
}

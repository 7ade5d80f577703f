package dev.goalpost.messaging.inbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature}, computed and checked exactly as Twilio's own helper libraries do
 * (twilio.com/docs/usage/webhooks/webhooks-security; twilio-python {@code request_validator.py}, twilio-node
 * {@code webhooks.ts}, twilio-java {@code RequestValidator}):
 *
 * <ol>
 *   <li>Start from the full URL Twilio requested, query string included, exactly as configured in Twilio.
 *   <li>Append every POST parameter, sorted by name: the name, then the value, no separators. A name sent more
 *       than once contributes name+value for each distinct value, values sorted (twilio-python
 *       {@code sorted(set(values))}, twilio-node {@code Array.from(new Set(v)).sort()}).
 *   <li>HMAC-SHA1 the UTF-8 bytes with the account's auth token as the key; Base64 (standard, padded).
 * </ol>
 *
 * <p>Port quirk: Twilio's back end sometimes signs the URL with the default port (":443" / ":80") and sometimes
 * without, so the helper libraries accept a signature over either form — the URL with its port removed, and the
 * URL with its port (the default one added when it had none). {@link #verify} does the same.
 *
 * <p>Sorting is by UTF-16 code unit ({@link String#compareTo}), as twilio-java and twilio-node sort; Twilio's
 * parameter names are ASCII, where every order agrees.
 */
public final class TwilioSignature {
  public static final String HEADER = "X-Twilio-Signature";
  private static final String HMAC_SHA1 = "HmacSHA1";

  private TwilioSignature() {}

  /**
   * The signature Twilio sends for this request.
   *
   * @throws IllegalArgumentException if the auth token is null or empty, or the URL is null (a configuration
   *     error of ours, never caused by a request)
   */
  public static String compute(String authToken, String url, Map<String, List<String>> formParams) {
    if (authToken == null || authToken.isEmpty()) {
      throw new IllegalArgumentException("a Twilio auth token is required");
    }
    Objects.requireNonNull(url, "url");
    return Base64.getEncoder().encodeToString(hmac(authToken, url, formParams));
  }

  /**
   * Whether {@code headerValue} is Twilio's signature of this request, compared in constant time. False, never
   * an exception, for a missing or blank header, a missing auth token, or anything else amiss.
   */
  public static boolean verify(
      String authToken, String url, Map<String, List<String>> params, String headerValue) {
    if (authToken == null || authToken.isEmpty() || url == null || headerValue == null || headerValue.isBlank()) {
      return false;
    }
    byte[] presented = headerValue.strip().getBytes(StandardCharsets.US_ASCII);
    boolean valid = false;
    for (String candidate : urlVariants(url)) {
      byte[] expected = Base64.getEncoder().encode(hmac(authToken, candidate, params));
      // No short-circuit: every variant is checked, so timing does not tell which one matched.
      valid |= MessageDigest.isEqual(expected, presented);
    }
    return valid;
  }

  /**
   * The URL as given, without its port, and with its port (the scheme's default added when it had none), as
   * twilio-node {@code validateRequest} and twilio-python {@code validate} try them. A URL we cannot split
   * into scheme, authority and the rest is only tried as given.
   */
  static Set<String> urlVariants(String url) {
    Set<String> variants = new LinkedHashSet<>();
    variants.add(url);
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) {
      return variants;
    }
    String scheme = url.substring(0, schemeEnd);
    int authorityStart = schemeEnd + 3;
    int authorityEnd = url.length();
    for (int i = authorityStart; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        authorityEnd = i;
        break;
      }
    }
    String authority = url.substring(authorityStart, authorityEnd);
    int hostStart = authority.lastIndexOf('@') + 1;
    String hostPort = authority.substring(hostStart);
    int portColon = hostPort.startsWith("[")
        ? (hostPort.indexOf("]:") < 0 ? -1 : hostPort.indexOf("]:") + 1)
        : hostPort.lastIndexOf(':');
    String before = url.substring(0, authorityStart) + authority.substring(0, hostStart);
    String after = url.substring(authorityEnd);
    if (portColon >= 0) {
      variants.add(before + hostPort.substring(0, portColon) + after);
    } else {
      String defaultPort = switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
        case "https" -> ":443";
        case "http" -> ":80";
        default -> null;
      };
      if (defaultPort != null && !hostPort.isEmpty()) {
        variants.add(before + hostPort + defaultPort + after);
      }
    }
    return variants;
  }

  private static byte[] hmac(String authToken, String url, Map<String, List<String>> params) {
    StringBuilder data = new StringBuilder(url);
    if (params != null) {
      // A null name or value (never sent by Twilio, possible from a caller) signs as "", as twilio-java does.
      TreeMap<String, TreeSet<String>> sorted = new TreeMap<>();
      params.forEach((name, values) -> {
        TreeSet<String> distinct = sorted.computeIfAbsent(name == null ? "" : name, k -> new TreeSet<>());
        if (values != null) {
          for (String value : values) {
            distinct.add(value == null ? "" : value);
          }
        }
      });
      sorted.forEach((name, values) -> values.forEach(value -> data.append(name).append(value)));
    }
    try {
      Mac mac = Mac.getInstance(HMAC_SHA1);
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
      return mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
    }
  }
}

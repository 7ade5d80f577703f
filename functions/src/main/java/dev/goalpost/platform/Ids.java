package dev.goalpost.platform;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * New resource ids: a short type prefix and 20 random Crockford-base32 characters (100 bits). The
 * {@link SecureRandom} is created per instance, not in static state, so SnapStart restores never share a seed.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private final SecureRandom random = new SecureRandom();

  public String next(String prefix) {
    byte[] bytes = new byte[13];
    random.nextBytes(bytes);
    return prefix + "_" + base32(bytes, 20);
  }

  static String base32(byte[] bytes, int length) {
    StringBuilder sb = new StringBuilder(length);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5 && sb.length() < length) {
        sb.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /** A stable id derived from a natural key (e.g. a contact's group + phone), so upserts need no lookup. */
  public static String derived(String prefix, String naturalKey) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(naturalKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return prefix + "_" + base32(digest, 20);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

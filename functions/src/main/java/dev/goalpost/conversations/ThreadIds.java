package dev.goalpost.conversations;

import dev.goalpost.platform.http.ApiException;

/**
 * A thread's id names its group and contact ({@code th_<group>_<contact>}): the thread is the pair, so no
 * lookup is needed to find either, and a thread that has no message yet can still be opened.
 */
public final class ThreadIds {
  private ThreadIds() {}

  public record Parts(String groupId, String contactId) {}

  public static String of(String groupId, String contactId) {
    return "th_" + suffix(groupId, "grp_") + "_" + suffix(contactId, "ct_");
  }

  public static Parts parse(String threadId) {
    String[] p = threadId.split("_");
    if (p.length != 3 || !p[0].equals("th") || p[1].isEmpty() || p[2].isEmpty()) {
      throw ApiException.notFound("Thread " + threadId);
    }
    return new Parts("grp_" + p[1], "ct_" + p[2]);
  }

  private static String suffix(String id, String prefix) {
    if (!id.startsWith(prefix)) {
      throw new IllegalArgumentException(id + " does not start with " + prefix);
    }
    return id.substring(prefix.length());
  }
}

package dev.goalpost.groups;

/** Every limit and default of a group's settings, in one place. */
public final class GroupLimits {
  public static final int NAME_MAX = 100;
  public static final int PHONE_NUMBERS_MAX = 20;
  public static final int UNREAD_CLAIM_MINUTES_DEFAULT = 30;
  public static final int RESPONSE_WINDOW_MINUTES_DEFAULT = 60;
  public static final int MINUTES_MIN = 1;
  public static final int MINUTES_MAX = 7 * 24 * 60;
  /** T-Mobile's lowest 10DLC brand tier: the safe default until the team sets its own. */
  public static final int DAILY_SEGMENT_CAP_DEFAULT = 2_000;
  public static final int DAILY_SEGMENT_CAP_MAX = 1_000_000;

  private GroupLimits() {}
}

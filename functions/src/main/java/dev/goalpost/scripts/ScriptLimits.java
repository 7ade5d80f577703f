package dev.goalpost.scripts;

/**
 * Every limit of scripts, and every assumption behind the worst-case length of a script, in one place.
 *
 * <p>"Characters" here are Unicode code points of the body as written (an emoji is one character), because that
 * is what the person typing sees; segments are counted separately by {@link Segments}.
 */
public final class ScriptLimits {
  /** Initial scripts may be at most this many segments, counted on the worst case (SPEC §3). */
  public static final int INITIAL_MAX_SEGMENTS = 57;
  /** Reminder scripts may be at most this many characters as written, merge fields included (SPEC §3). */
  public static final int REMINDER_MAX_CHARS = 500;
  /** A goal's agent instructions (SPEC §2). */
  public static final int AGENT_INSTRUCTIONS_MAX_CHARS = 300;
  /**
   * Response, additional response and agent scripts are replies inside a conversation; ten segments (1,530 GSM
   * characters) is far above any real reply and stops a paste accident from costing 50 segments per send.
   */
  public static final int RESPONSE_MAX_SEGMENTS = 10;
  /** Hard cap on any script body as written: the most text 57 GSM-7 segments can carry (57 × 153). */
  public static final int SCRIPT_BODY_MAX_CHARS = 57 * 153;

  // Worst-case stand-ins: what a merge field is assumed to render to when a script is validated before any
  // contact exists. Real values longer than these are counted exactly when the message is sent.

  /** A contact's first or last name. */
  public static final int WORST_CASE_NAME_CHARS = 20;
  /** The sending agent's name. */
  public static final int WORST_CASE_AGENT_NAME_CHARS = 20;
  /** The group's name. */
  public static final int WORST_CASE_GROUP_NAME_CHARS = 40;
  /** A custom field's value. */
  public static final int WORST_CASE_CUSTOM_FIELD_CHARS = 30;
  /** The longest date as the API formats it: the longest weekday and the longest month, two-digit day. */
  public static final String WORST_CASE_DATE = "Wednesday, September 30";
  /**
   * The longest time as the API formats it: zones without a short name (e.g. Asia/Kolkata) print as a GMT offset,
   * which is longer than any US abbreviation such as CDT or AKDT.
   */
  public static final String WORST_CASE_TIME = "12:00 PM GMT+05:30";

  private ScriptLimits() {}
}

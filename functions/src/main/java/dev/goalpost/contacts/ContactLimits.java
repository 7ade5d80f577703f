package dev.goalpost.contacts;

import java.util.Set;

/** Every limit of contact data, in one place. */
public final class ContactLimits {
  public static final int BULK_MAX = 1_000;
  public static final int NAME_MAX = 100;
  public static final int TAGS_MAX = 50;
  public static final int TAG_MAX = 64;
  public static final int CUSTOM_FIELDS_MAX = 50;
  public static final int CUSTOM_FIELD_NAME_MAX = 64;
  public static final int CUSTOM_FIELD_VALUE_MAX = 1_000;
  public static final int SEARCH_WORDS_MAX = 5;
  /** Names scripts already use as built-in merge fields; a custom field may not shadow them. */
  public static final Set<String> RESERVED_FIELD_NAMES = Set.of("first name", "last name", "agent name",
      "group name", "phone");

  private ContactLimits() {}
}

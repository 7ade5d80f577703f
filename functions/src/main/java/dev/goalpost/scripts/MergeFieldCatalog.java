package dev.goalpost.scripts;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The merge fields a script may use: the built-ins, the goal's date and time fields, and the group's custom
 * fields. Immutable; each {@code with…} returns a new catalog.
 *
 * <p>Fields are matched by {@linkplain #key key}: trimmed, inner whitespace collapsed to one space, lower-cased,
 * so {@code <First  Name>} and {@code <first name>} are the same field. A name already in the catalog keeps its
 * first kind, so a custom field can never shadow a built-in.
 */
public final class MergeFieldCatalog {
  public static final String FIRST_NAME = "first name";
  public static final String LAST_NAME = "last name";
  public static final String AGENT_NAME = "agent name";
  public static final String GROUP_NAME = "group name";

  // Includes non-breaking and other Unicode spaces: names pasted from documents carry them.
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+", Pattern.UNICODE_CHARACTER_CLASS);

  private final Map<String, MergeFieldKind> fields;

  private MergeFieldCatalog(Map<String, MergeFieldKind> fields) {
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** {@code <first name>}, {@code <last name>}, {@code <agent name>}, {@code <group name>}. */
  public static MergeFieldCatalog builtIns() {
    Map<String, MergeFieldKind> m = new LinkedHashMap<>();
    m.put(FIRST_NAME, MergeFieldKind.CONTACT_NAME);
    m.put(LAST_NAME, MergeFieldKind.CONTACT_NAME);
    m.put(AGENT_NAME, MergeFieldKind.AGENT_NAME);
    m.put(GROUP_NAME, MergeFieldKind.GROUP_NAME);
    return new MergeFieldCatalog(m);
  }

  /** Adds a goal date field such as "event date", "shift date" or "target date". */
  public MergeFieldCatalog withDateField(String name) {
    return with(name, MergeFieldKind.DATE);
  }

  /** Adds a goal time field such as "event time" or "shift time". */
  public MergeFieldCatalog withTimeField(String name) {
    return with(name, MergeFieldKind.TIME);
  }

  /** Adds the group's custom fields by name. */
  public MergeFieldCatalog withCustomFields(Collection<String> names) {
    MergeFieldCatalog out = this;
    for (String name : names) {
      out = out.with(name, MergeFieldKind.CUSTOM);
    }
    return out;
  }

  private MergeFieldCatalog with(String name, MergeFieldKind kind) {
    String key = key(name);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a merge field needs a name");
    }
    Map<String, MergeFieldKind> m = new LinkedHashMap<>(fields);
    m.putIfAbsent(key, kind);
    return new MergeFieldCatalog(m);
  }

  /** The kind of the field named {@code name} (any spelling), if the catalog knows it. */
  public Optional<MergeFieldKind> kindOf(String name) {
    return Optional.ofNullable(fields.get(key(name)));
  }

  public boolean knows(String name) {
    return fields.containsKey(key(name));
  }

  /** Keys of every known field, built-ins first, in the order they were added. */
  public List<String> keys() {
    return List.copyOf(fields.keySet());
  }

  /** The matching form of a field name; callers key the values they pass to rendering with it. */
  public static String key(String name) {
    return WHITESPACE.matcher(name).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }
}

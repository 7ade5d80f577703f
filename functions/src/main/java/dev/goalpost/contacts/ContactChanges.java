package dev.goalpost.contacts;

import static dev.goalpost.contacts.ContactLimits.*;

import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one bulk row or one PATCH changes on a contact. Absent fields stay as they are; {@code customFields}
 * merge key by key (a null value removes that field); {@code tags} replace the list unless given as
 * {@code addTags} / {@code removeTags}; {@code assignedAgentId: null} unassigns; {@code timeZone} is an IANA
 * zone id, stored in its canonical spelling ({@code null} forgets it: the number's area decides again). A
 * custom field named {@code timeZone} (how imports gave it before it was a field of its own) is read as
 * {@code timeZone}, with the same check.
 */
public record ContactChanges(
    Optional<String> firstName,
    Optional<String> lastName,
    Map<String, String> customFields,
    Optional<List<String>> tags,
    List<String> addTags,
    List<String> removeTags,
    Optional<Optional<String>> assignedAgentId,
    Optional<Boolean> optedOut,
    Optional<Boolean> deactivated,
    Optional<Optional<String>> timeZone) {

  static final Set<String> PATCH_FIELDS = Set.of("firstName", "lastName", "customFields", "tags", "addTags",
      "removeTags", "assignedAgentId", "optedOut", "deactivated", "timeZone");
  static final Set<String> ROW_FIELDS = Set.of("phone", "firstName", "lastName", "customFields", "tags",
      "assignedAgentId", "optedOut", "deactivated", "timeZone");
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9 _-]*");

  /** A change that leaves the zone alone (the shape callers outside this package build). */
  public ContactChanges(Optional<String> firstName, Optional<String> lastName, Map<String, String> customFields,
                        Optional<List<String>> tags, List<String> addTags, List<String> removeTags,
                        Optional<Optional<String>> assignedAgentId, Optional<Boolean> optedOut,
                        Optional<Boolean> deactivated) {
    this(firstName, lastName, customFields, tags, addTags, removeTags, assignedAgentId, optedOut, deactivated,
        Optional.empty());
  }

  public static ContactChanges parse(Fields f, Set<String> allowed) {
    Violations v = f.violations();
    f.allowOnly(allowed);
    Optional<String> first = name(f, "firstName");
    Optional<String> last = name(f, "lastName");
    Map<String, String> custom = f.stringMap("customFields").map(m -> customFields(m, f.pathOf("customFields"), v))
        .orElse(Map.of());
    Optional<List<String>> tags = f.strings("tags").map(t -> tags(t, f.pathOf("tags"), v));
    List<String> add = f.strings("addTags").map(t -> tags(t, f.pathOf("addTags"), v)).orElse(List.of());
    List<String> remove = f.strings("removeTags").map(t -> tags(t, f.pathOf("removeTags"), v)).orElse(List.of());
    if (tags.isPresent() && (!add.isEmpty() || !remove.isEmpty())) {
      v.add(f.pathOf("tags"), "give either tags (replace all) or addTags/removeTags, not both");
    }
    Optional<Optional<String>> agent = Optional.empty();
    if (f.isExplicitNull("assignedAgentId")) {
      agent = Optional.of(Optional.empty());
    } else {
      Optional<String> a = f.string("assignedAgentId").map(String::trim);
      if (a.isPresent() && a.get().isEmpty()) {
        v.add(f.pathOf("assignedAgentId"), "must be a user id, or null to unassign");
      } else if (a.isPresent()) {
        agent = Optional.of(a);
      }
    }
    Optional<Optional<String>> zone = timeZone(f, custom, v);
    return new ContactChanges(first, last, custom, tags, add, remove, agent,
        f.bool("optedOut"), f.bool("deactivated"), zone);
  }

  /** {@code timeZone}, or the legacy custom field of that name (taken out of {@code custom}); checked the same way. */
  private static Optional<Optional<String>> timeZone(Fields f, Map<String, String> custom, Violations v) {
    String legacy = custom.keySet().stream().filter(k -> k.equalsIgnoreCase(ContactZones.LEGACY_FIELD)).findFirst()
        .orElse(null);
    boolean given = f.has("timeZone");
    if (legacy != null && given) {
      v.add(f.pathOf("customFields") + "." + legacy, "give the zone once, as timeZone");
      return Optional.empty();
    }
    String path;
    String raw;
    if (legacy != null) {
      path = f.pathOf("customFields") + "." + legacy;
      raw = custom.remove(legacy);
    } else if (f.isExplicitNull("timeZone")) {
      return Optional.of(Optional.empty());
    } else if (given) {
      path = f.pathOf("timeZone");
      Optional<String> s = f.string("timeZone");
      if (s.isEmpty()) {
        return Optional.empty(); // not a string: Fields named it already
      }
      raw = s.get();
    } else {
      return Optional.empty();
    }
    if (raw == null || raw.isBlank()) {
      return Optional.of(Optional.empty());
    }
    Optional<java.time.ZoneId> zone = ContactZones.zone(raw);
    if (zone.isEmpty()) {
      v.add(path, "'" + raw.trim() + "' is not an IANA time zone id (like America/Chicago); null forgets the zone");
      return Optional.empty();
    }
    return Optional.of(Optional.of(zone.get().getId()));
  }

  private static Optional<String> name(Fields f, String field) {
    Optional<String> n = f.string(field).map(String::trim);
    if (n.isPresent() && n.get().length() > NAME_MAX) {
      f.violations().add(f.pathOf(field), "must be at most " + NAME_MAX + " characters");
      return Optional.empty();
    }
    return n;
  }

  /** Normalizes a custom field name to how it is stored and matched: trimmed, single spaces. */
  public static String fieldName(String raw) {
    return raw.trim().replaceAll("\\s+", " ");
  }

  private static Map<String, String> customFields(Map<String, String> raw, String path, Violations v) {
    if (raw.size() > CUSTOM_FIELDS_MAX) {
      v.add(path, "may hold at most " + CUSTOM_FIELDS_MAX + " fields");
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach((k, val) -> {
      String name = fieldName(k);
      if (name.isEmpty() || name.length() > CUSTOM_FIELD_NAME_MAX || !FIELD_NAME.matcher(name).matches()) {
        v.add(path + "." + k, "a field name is 1 to " + CUSTOM_FIELD_NAME_MAX
            + " letters, digits, spaces, _ or -, starting with a letter");
      } else if (RESERVED_FIELD_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
        v.add(path + "." + k, "'" + name + "' is a built-in merge field; use the contact's own property");
      } else if (val != null && val.length() > CUSTOM_FIELD_VALUE_MAX) {
        v.add(path + "." + k, "must be at most " + CUSTOM_FIELD_VALUE_MAX + " characters");
      } else {
        out.put(name, val == null || val.isBlank() ? null : val);
      }
    });
    return out;
  }

  private static List<String> tags(List<String> raw, String path, Violations v) {
    if (raw.size() > TAGS_MAX) {
      v.add(path, "may hold at most " + TAGS_MAX + " tags");
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      String t = raw.get(i).trim();
      if (t.isEmpty() || t.length() > TAG_MAX) {
        v.add(path + "[" + i + "]", "a tag is 1 to " + TAG_MAX + " characters");
      } else {
        out.add(t);
      }
    }
    return new ArrayList<>(out);
  }

  static ContactChanges onlyRemovingTags(List<String> tags) {
    return new ContactChanges(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), List.of(), tags,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  ContactChanges withoutRemovedTags() {
    return new ContactChanges(firstName, lastName, customFields, tags, addTags, List.of(), assignedAgentId,
        optedOut, deactivated, timeZone);
  }

  /** Names of the custom fields this change gives a value (not those it removes). */
  public Set<String> setFieldNames() {
    Set<String> names = new LinkedHashSet<>();
    customFields.forEach((name, value) -> {
      if (value != null) {
        names.add(name);
      }
    });
    return names;
  }

  public boolean isEmpty() {
    return firstName.isEmpty() && lastName.isEmpty() && customFields.isEmpty() && tags.isEmpty()
        && addTags.isEmpty() && removeTags.isEmpty() && assignedAgentId.isEmpty() && optedOut.isEmpty()
        && deactivated.isEmpty() && timeZone.isEmpty();
  }
}

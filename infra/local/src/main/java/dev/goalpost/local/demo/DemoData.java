package dev.goalpost.local.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo org's content, generated deterministically (same contacts on every run, so re-seeding upserts
 * instead of adding): phones stay in the 555-01xx range reserved for fiction.
 */
final class DemoData {
  static final String ORG = "org-demo";
  static final String ADMIN = "admin-ana";
  static final String MANAGER = "manager-mo";
  static final List<String> AUSTIN_AGENTS = List.of("agent-ari", "agent-bea");
  static final List<String> BROOKLYN_AGENTS = List.of("agent-cy");
  static final int CONTACTS_PER_GROUP = 125;

  /** Display names (Cognito's {@code name} attribute in AWS): what a script's agent-name field renders. */
  static final Map<String, String> NAMES = Map.of(
      ADMIN, "Ana Alvarez",
      MANAGER, "Mo Okafor",
      "agent-ari", "Ari Romero",
      "agent-bea", "Bea Lindqvist",
      "agent-cy", "Cy Mensah");

  /** A group to create: name, zone, its texting number, and the area codes of its contacts. */
  record GroupSeed(String name, String timeZone, String phoneNumber, List<String> contactAreaCodes,
                   List<String> counties, List<String> agents) {}

  static final List<GroupSeed> GROUPS = List.of(
      new GroupSeed("Austin", "America/Chicago", "+15125550100", List.of("512", "737"),
          List.of("Travis", "Williamson", "Hays"), AUSTIN_AGENTS),
      new GroupSeed("Brooklyn", "America/New_York", "+17185550100", List.of("718", "347"),
          List.of("Kings"), BROOKLYN_AGENTS));

  private static final List<String> FIRST = List.of(
      "Ana", "Ben", "Carla", "Dev", "Elena", "Femi", "Grace", "Hugo", "Iris", "Jamal", "Kira", "Luis", "Maya",
      "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe");
  private static final List<String> LAST = List.of(
      "Diaz", "Nguyen", "Okafor", "Patel", "Smith", "Garcia", "Kim", "Cohen", "Rossi", "Haddad", "Ivanova",
      "Johnson", "Lopez", "Murphy", "Silva", "Tanaka", "Walker");
  private static final List<String> TAGS = List.of("volunteer", "donor", "student", "canvasser", "phonebank", "new");
  private static final List<String> NEIGHBORHOODS = List.of("North", "South", "East", "West", "Central");

  private DemoData() {}

  static Map<String, Object> groupBody(GroupSeed g) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", g.name());
    body.put("timeZone", g.timeZone());
    body.put("phoneNumbers", List.of(g.phoneNumber()));
    body.put("numberProviders", Map.of(g.phoneNumber(), provider(g)));
    body.put("hoursOfOperation", Map.of("start", "08:00", "end", "20:00"));
    body.put("unreadClaimMinutes", 30);
    body.put("responseWindowMinutes", 60);
    body.put("dailySegmentCap", 40000);
    return body;
  }

  /**
   * Austin's number is a Twilio number (the local carrier plays Twilio's Messages API and webhooks), Brooklyn's
   * an AWS number (SendTextMessage to the local carrier, replies and receipts through moto's SNS): the
   * demo runs both real provider paths.
   */
  static Map<String, Object> provider(GroupSeed g) {
    return g.name().equals("Austin")
        ? Map.of("provider", "twilio", "accountSid", dev.goalpost.local.carrier.ProviderApis.LOCAL_ACCOUNT_SID)
        : Map.of("provider", "aws");
  }

  static List<Map<String, Object>> contacts(GroupSeed g, int groupIndex) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < CONTACTS_PER_GROUP; i++) {
      int k = i + groupIndex * 7; // different name mix per group
      String areaCode = g.contactAreaCodes().get(i / 99);
      String phone = "+1" + areaCode + "55501" + String.format("%02d", 1 + i % 99);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("phone", phone);
      c.put("firstName", FIRST.get(k % FIRST.size()));
      c.put("lastName", LAST.get((k * 7 + 3) % LAST.size()));
      c.put("customFields", Map.of(
          "county", g.counties().get(i % g.counties().size()),
          "neighborhood", NEIGHBORHOODS.get((k / 3) % NEIGHBORHOODS.size())));
      List<String> tags = new ArrayList<>();
      tags.add(TAGS.get(k % TAGS.size()));
      if (i % 4 == 0) {
        tags.add(TAGS.get((k + 2) % TAGS.size()));
      }
      c.put("tags", tags);
      c.put("assignedAgentId", i % 5 == 0 ? g.agents().get((i / 5) % g.agents().size()) : null);
      out.add(c);
    }
    return out;
  }
}

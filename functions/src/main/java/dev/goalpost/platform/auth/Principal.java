package dev.goalpost.platform.auth;

import dev.goalpost.platform.http.ApiException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, read only from the JWT claims that API Gateway's JWT authorizer verified and passed in
 * {@code requestContext.authorizer.jwt.claims}.
 *
 * <p>Claims: {@code sub} (user id), {@code org_id} (tenant), {@code roles} (org-wide roles: {@code admin} for
 * members of the Cognito group {@code admins}) and {@code group_roles}, the user's role IN EACH group, as one
 * string {@code "grp_a:manager grp_b:agent"}. In AWS the Cognito pre-token-generation trigger
 * ({@code TokenClaimsHandler}) adds the last three from the stored memberships; locally {@code POST /_local/token}
 * runs that same handler. One string, because API Gateway hands every claim to the function as a string (an
 * array as {@code "[a b]"}, an object as JSON); the bracketed and the JSON-object forms are read too.
 *
 * <p>Rules: org isolation always; an org admin may do everything in every group of the org; otherwise what a
 * caller may do in a group depends only on their role in THAT group: a manager of A who is an agent of B
 * manages A and works B as an agent. A flat {@code roles}/{@code groups} pair (the claims before per-group
 * roles) grants nothing in any group: such a token gets group rights at its next refresh.
 */
public record Principal(String userId, String orgId, Set<Role> orgRoles, Map<String, Role> groupRoles, String name) {
  public static final String USER_CLAIM = "sub";
  public static final String ORG_CLAIM = "org_id";
  public static final String ROLES_CLAIM = "roles";
  public static final String GROUP_ROLES_CLAIM = "group_roles";
  /** Optional display name (Cognito's standard {@code name} attribute): what {@code <agent name>} renders. */
  public static final String NAME_CLAIM = "name";

  public Principal(String userId, String orgId, Set<Role> orgRoles, Map<String, Role> groupRoles) {
    this(userId, orgId, orgRoles, groupRoles, null);
  }

  public Principal {
    orgRoles = Set.copyOf(orgRoles);
    groupRoles = Map.copyOf(groupRoles);
    if (groupRoles.containsValue(Role.ADMIN)) {
      throw new IllegalArgumentException("admin is an org-wide role, not a group role");
    }
  }

  public static Principal fromClaims(Map<String, String> claims) {
    if (claims == null) {
      throw ApiException.unauthorized("No verified token claims reached the function");
    }
    String user = claims.get(USER_CLAIM);
    String org = claims.get(ORG_CLAIM);
    if (user == null || user.isBlank() || org == null || org.isBlank()) {
      throw ApiException.unauthorized("The token must carry the claims 'sub' and 'org_id'");
    }
    Set<Role> orgRoles = new LinkedHashSet<>();
    for (String r : parseList(claims.get(ROLES_CLAIM))) {
      Role.parse(r).filter(x -> x == Role.ADMIN).ifPresent(orgRoles::add);
    }
    return new Principal(user, org, orgRoles, parseGroupRoles(claims.get(GROUP_ROLES_CLAIM)), claims.get(NAME_CLAIM));
  }

  /** Parses API Gateway's {@code "[a b c]"}, a JSON array string, or a single/comma-separated value. */
  static Set<String> parseList(String raw) {
    Set<String> out = new LinkedHashSet<>();
    if (raw == null || raw.isBlank()) {
      return out;
    }
    String s = raw.trim();
    if ((s.startsWith("[") && s.endsWith("]")) || (s.startsWith("{") && s.endsWith("}"))) {
      s = s.substring(1, s.length() - 1);
    }
    Arrays.stream(s.split("[\\s,]+"))
        .map(t -> t.replace("\"", "").trim())
        .filter(t -> !t.isEmpty())
        .forEach(out::add);
    return out;
  }

  /**
   * {@code "g1:manager g2:agent"} (also bracketed, comma-separated, or a JSON object {@code {"g1":"manager"}}).
   * Entries that are not {@code group:manager} or {@code group:agent} are ignored; a group named twice keeps
   * its weaker role (a membership item is unique per group, so that only happens in a forged or broken claim).
   */
  public static Map<String, Role> parseGroupRoles(String raw) {
    Map<String, Role> out = new LinkedHashMap<>();
    for (String entry : parseList(raw == null ? null : raw.replaceAll("\"\\s*:\\s*\"", "\":\""))) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        continue;
      }
      String group = entry.substring(0, colon);
      Optional<Role> role = Role.parse(entry.substring(colon + 1)).filter(r -> r != Role.ADMIN);
      role.ifPresent(r -> out.merge(group, r, (a, b) -> a == Role.AGENT || b == Role.AGENT ? Role.AGENT : a));
    }
    return out;
  }

  /** The {@code group_roles} claim for these roles: {@code "g1:manager g2:agent"}, in the map's order. */
  public static String formatGroupRoles(Map<String, Role> groupRoles) {
    StringBuilder sb = new StringBuilder();
    groupRoles.forEach((g, r) -> sb.append(sb.isEmpty() ? "" : " ").append(g).append(':').append(r.wire()));
    return sb.toString();
  }

  /** The name contacts see for this agent: the token's name, else the user id. */
  public String displayName() {
    return name == null || name.isBlank() ? userId : name;
  }

  public boolean isAdmin() {
    return orgRoles.contains(Role.ADMIN);
  }

  /** The groups the caller is a member of (any role). Admins may act in others too. */
  public Set<String> groups() {
    return groupRoles.keySet();
  }

  /** The caller's role in this group, if a member. */
  public Optional<Role> roleIn(String groupId) {
    return Optional.ofNullable(groupRoles.get(groupId));
  }

  /** Admins of the org, and managers OF THIS group. */
  public boolean canManage(String groupId) {
    return isAdmin() || roleIn(groupId).orElse(null) == Role.MANAGER;
  }

  /** Members of this group (agents and managers): they claim work and text its contacts. */
  public boolean isMember(String groupId) {
    return groupRoles.containsKey(groupId);
  }

  /** Anyone who can manage it, and agents of this group. */
  public boolean canRead(String groupId) {
    return canManage(groupId) || isMember(groupId);
  }

  public void requireAdmin() {
    if (!isAdmin()) {
      throw ApiException.forbidden("Only an org admin may do this");
    }
  }

  public void requireManage(String groupId) {
    if (!canManage(groupId)) {
      throw ApiException.forbidden("Only an org admin or a manager of group " + groupId + " may do this"
          + roleIn(groupId).map(r -> " (your role in it is " + r.wire() + ")").orElse(""));
    }
  }

  public void requireRead(String groupId) {
    if (!canRead(groupId)) {
      throw ApiException.forbidden("You are not a member of group " + groupId);
    }
  }
}

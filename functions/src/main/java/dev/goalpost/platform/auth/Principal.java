package dev.goalpost.platform.auth;

import dev.goalpost.platform.http.ApiException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, read only from the JWT claims that API Gateway's JWT authorizer verified and passed in
 * {@code requestContext.authorizer.jwt.claims}.
 *
 * <p>Claims: {@code sub} (user id), {@code org_id} (tenant), {@code roles} (any of admin, manager, agent) and
 * {@code groups} (the group ids the user belongs to). In AWS a Cognito pre-token-generation trigger adds the
 * last three; locally {@code POST /_local/token} signs them. API Gateway hands array claims to the function as
 * one string, {@code "[a b]"}; a JSON array string is accepted too.
 *
 * <p>Rules: org isolation always; an org admin manages every group of the org; a manager manages the groups
 * in the token; an agent reads the groups in the token.
 */
public record Principal(String userId, String orgId, Set<Role> roles, Set<String> groups, String name) {
  public static final String USER_CLAIM = "sub";
  public static final String ORG_CLAIM = "org_id";
  public static final String ROLES_CLAIM = "roles";
  public static final String GROUPS_CLAIM = "groups";
  /** Optional display name (Cognito's standard {@code name} attribute): what {@code <agent name>} renders. */
  public static final String NAME_CLAIM = "name";

  public Principal(String userId, String orgId, Set<Role> roles, Set<String> groups) {
    this(userId, orgId, roles, groups, null);
  }

  public Principal {
    roles = Set.copyOf(roles);
    groups = Set.copyOf(groups);
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
    Set<Role> roles = new LinkedHashSet<>();
    for (String r : parseList(claims.get(ROLES_CLAIM))) {
      Role.parse(r).ifPresent(roles::add);
    }
    return new Principal(user, org, roles, parseList(claims.get(GROUPS_CLAIM)), claims.get(NAME_CLAIM));
  }

  /** Parses API Gateway's {@code "[a b c]"}, a JSON array string, or a single/comma-separated value. */
  static Set<String> parseList(String raw) {
    Set<String> out = new LinkedHashSet<>();
    if (raw == null || raw.isBlank()) {
      return out;
    }
    String s = raw.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    Arrays.stream(s.split("[\\s,]+"))
        .map(t -> t.replace("\"", "").trim())
        .filter(t -> !t.isEmpty())
        .forEach(out::add);
    return out;
  }

  /** The name contacts see for this agent: the token's name, else the user id. */
  public String displayName() {
    return name == null || name.isBlank() ? userId : name;
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  /** Admins of the org, and managers of this group. */
  public boolean canManage(String groupId) {
    return isAdmin() || (roles.contains(Role.MANAGER) && groups.contains(groupId));
  }

  /** Anyone who can manage it, and agents of this group. */
  public boolean canRead(String groupId) {
    return canManage(groupId) || (roles.contains(Role.AGENT) && groups.contains(groupId));
  }

  public void requireAdmin() {
    if (!isAdmin()) {
      throw ApiException.forbidden("Only an org admin may do this");
    }
  }

  public void requireManage(String groupId) {
    if (!canManage(groupId)) {
      throw ApiException.forbidden("Only an org admin or a manager of group " + groupId + " may do this");
    }
  }

  public void requireRead(String groupId) {
    if (!canRead(groupId)) {
      throw ApiException.forbidden("You are not a member of group " + groupId);
    }
  }
}

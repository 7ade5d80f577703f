package dev.goalpost.groups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** Groups and memberships: who may do what, and the rules of each change. */
public final class GroupService {
  private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.@+:-]{1,128}");

  private final GroupRepository groups;
  private final Clock clock;
  private final Ids ids;
  private final ProviderAccounts accounts;

  public GroupService(GroupRepository groups, Clock clock, Ids ids) {
    this(groups, clock, ids, ProviderAccounts.ANY);
  }

  public GroupService(GroupRepository groups, Clock clock, Ids ids, ProviderAccounts accounts) {
    this.groups = groups;
    this.clock = clock;
    this.ids = ids;
    this.accounts = accounts;
  }

  public Group create(Principal caller, JsonNode body) {
    caller.requireAdmin();
    Violations v = new Violations();
    GroupChanges changes = GroupChanges.parse(Fields.ofBody(body, v), accounts);
    Group g = changes.create(caller.orgId(), ids.next("grp"), clock.instant(), v);
    requireAllowed(caller.orgId(), g.phoneNumbers());
    groups.create(g);
    return g;
  }

  /** Admins page through every group of the org; others see the groups their token names. */
  public Page<Group> list(Principal caller, int limit, Optional<String> cursor) {
    if (caller.isAdmin()) {
      return groups.list(caller.orgId(), limit, cursor);
    }
    var mine = caller.groups().stream().sorted()
        .map(id -> groups.get(caller.orgId(), id))
        .flatMap(Optional::stream)
        .toList();
    return new Page<>(mine, null);
  }

  public Group get(Principal caller, String groupId) {
    caller.requireRead(groupId);
    return require(caller.orgId(), groupId);
  }

  public Group patch(Principal caller, String groupId, JsonNode body) {
    caller.requireManage(groupId);
    Violations v = new Violations();
    GroupChanges changes = GroupChanges.parse(Fields.ofBody(body, v), accounts);
    v.throwIfAny();
    Group current = require(caller.orgId(), groupId);
    Group next = changes.applyTo(current, clock.instant(), v);
    requireAllowed(caller.orgId(), next.phoneNumbers().stream().filter(n -> !current.phoneNumbers().contains(n)).toList());
    groups.update(current, next);
    return next;
  }

  /**
   * Adds or changes a member. Admins may grant any group role; a group's managers may add agents only, so a
   * manager cannot make another manager.
   */
  public Member putMember(Principal caller, String groupId, String userId, JsonNode body) {
    caller.requireManage(groupId);
    Violations v = new Violations();
    Fields f = Fields.ofBody(body, v);
    f.allowOnly(Set.of("role"));
    validateUserId(userId);
    Optional<MemberRole> role = f.requiredString("role").flatMap(r -> {
      Optional<MemberRole> parsed = MemberRole.parse(r);
      if (parsed.isEmpty()) {
        v.add("role", "must be 'manager' or 'agent'");
      }
      return parsed;
    });
    v.throwIfAny();
    if (role.get() == MemberRole.MANAGER && !caller.isAdmin()) {
      throw ApiException.forbidden("Only an org admin may make someone a manager");
    }
    if (!caller.isAdmin()) {
      groups.getMember(caller.orgId(), groupId, userId)
          .filter(m -> m.role() == MemberRole.MANAGER)
          .ifPresent(m -> {
            throw ApiException.forbidden("Only an org admin may change a manager's role");
          });
    }
    Member m = new Member(userId, groupId, role.get(), clock.instant());
    groups.putMember(caller.orgId(), m);
    return m;
  }

  /** Removes a member; idempotent. Managers may remove agents only. */
  public void deleteMember(Principal caller, String groupId, String userId) {
    caller.requireManage(groupId);
    validateUserId(userId);
    require(caller.orgId(), groupId);
    if (!caller.isAdmin()) {
      groups.getMember(caller.orgId(), groupId, userId)
          .filter(m -> m.role() == MemberRole.MANAGER)
          .ifPresent(m -> {
            throw ApiException.forbidden("Only an org admin may remove a manager");
          });
    }
    groups.deleteMember(caller.orgId(), groupId, userId);
  }

  public Page<Member> listMembers(Principal caller, String groupId, int limit, Optional<String> cursor) {
    caller.requireRead(groupId);
    require(caller.orgId(), groupId);
    return groups.listMembers(caller.orgId(), groupId, limit, cursor);
  }

  /**
   * Numbers an org adds must be on the operator's allow-list for it (when the deployment has one); the
   * refusal is the one another org's number gets ({@link GroupRepository#unavailable}).
   */
  private void requireAllowed(String orgId, java.util.List<String> added) {
    for (String number : added) {
      if (!accounts.allows(orgId, number)) {
        throw GroupRepository.unavailable(number);
      }
    }
  }

  private Group require(String orgId, String groupId) {
    return groups.get(orgId, groupId).orElseThrow(() -> ApiException.notFound("Group " + groupId));
  }

  private static void validateUserId(String userId) {
    if (!USER_ID.matcher(userId).matches()) {
      throw ApiException.invalid("userId", "must be 1 to 128 letters, digits or _ . @ + : -");
    }
  }
}

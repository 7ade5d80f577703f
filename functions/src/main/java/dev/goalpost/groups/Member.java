package dev.goalpost.groups;

import java.time.Instant;

/** A user's role in one group. Org admins are admins by their token, not by membership. */
public record Member(String userId, String groupId, MemberRole role, Instant addedAt) {}

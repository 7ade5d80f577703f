package dev.goalpost.contacts;

import java.util.List;
import java.util.Optional;

/** Filters of a contact list, combined with AND. {@code words} match first name, last name or phone. */
public record ContactQuery(
    Optional<String> tag,
    Optional<String> assignedAgentId,
    List<String> words,
    int limit,
    Optional<String> cursor) {}

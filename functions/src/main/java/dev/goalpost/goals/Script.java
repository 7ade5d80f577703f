package dev.goalpost.goals;

/** One script: a stable id (agents send "script X") and its body with merge fields. */
public record Script(String id, String body) {}

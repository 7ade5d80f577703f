package dev.goalpost.platform.http;

/** One rejected field: a JSON-pointer-like path ({@code contacts[3].phone}) and what rule it broke. */
public record FieldError(String field, String message) {}

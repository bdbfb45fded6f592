package dev.herald.tenant;

/** A user to add to a company, as typed (not yet checked). */
public record NewUser(String email, String displayName, String role, String password) {}

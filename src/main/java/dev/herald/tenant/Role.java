package dev.herald.tenant;

/** What a user may do: owners and admins change settings, staff work, operators run Herald. */
public enum Role {
  OWNER,
  ADMIN,
  STAFF,
  OPERATOR;

  public boolean managesCompany() {
    return this == OWNER || this == ADMIN;
  }
}

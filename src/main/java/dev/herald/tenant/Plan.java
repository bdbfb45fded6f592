package dev.herald.tenant;

/** A company's subscription plan; SMS can be bought on the paid plans only (A1). */
public enum Plan {
  FREE,
  STARTER,
  STANDARD,
  PRO;

  public boolean allowsSms() {
    return this != FREE;
  }
}

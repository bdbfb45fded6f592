package dev.herald.notification;

/** Why a channel was not used for a contact (C3, C5); shown to the sender. */
public enum SkipReason {
  PREFERENCE_OFF,
  NO_EMAIL_ADDRESS,
  NO_MOBILE_NUMBER,
  SMS_LOCKED,
  OPTED_OUT;

  /** The code in the API and the suffix of the message key {@code notification.skip.*}. */
  public String code() {
    return name().toLowerCase();
  }
}

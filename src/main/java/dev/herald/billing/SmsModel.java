package dev.herald.billing;

import java.util.Optional;

/** How a company pays for SMS: postpaid monthly blocks (H1) or prepaid credit packs (H2). */
public enum SmsModel {
  BLOCKS("blocks"),
  PACKS("packs");

  private final String code;

  SmsModel(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<SmsModel> fromCode(String code) {
    for (SmsModel m : values()) {
      if (m.code.equals(code) || m.name().equals(code)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}

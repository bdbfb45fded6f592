package dev.herald.contact;

import org.springframework.stereotype.Component;

/**
 * Phone numbers as every page shows them: international format with readable spacing ({@code +33 6
 * 12 34 56 78}); templates call {@code @phoneFormat.display(number)}.
 */
@Component("phoneFormat")
public class PhoneFormat {

  public String display(String e164) {
    return e164 == null || e164.isEmpty() ? "" : PhoneNumbers.display(e164);
  }
}

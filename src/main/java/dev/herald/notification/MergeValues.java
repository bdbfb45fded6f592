package dev.herald.notification;

import dev.herald.shared.Money;
import java.time.LocalDate;

/**
 * The values of a template's merge fields for one communication; formatted for the recipient's
 * language when the template is rendered. Any of them may be null (a quote has no due date).
 */
public record MergeValues(
    String customer, String company, String number, Money amount, LocalDate dueDate, String link) {

  /** The same values with another portal link. */
  public MergeValues withLink(String newLink) {
    return new MergeValues(customer, company, number, amount, dueDate, newLink);
  }
}

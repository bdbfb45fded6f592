package dev.herald.delivery;

/**
 * What queuing a list of drafts would do now, before a bulk action (H2): the SMS and the segments
 * they bill, the e-mails, how many SMS credit covers (in the action's order), how many would go by
 * e-mail instead and how many would not go at all, and the prepaid credit before and after.
 */
public record EnqueuePreview(
    int sms,
    int smsSegments,
    int emails,
    int covered,
    long coveredSegments,
    int fallbacks,
    int noCredit,
    boolean smsAvailable,
    boolean prepaid,
    long balance,
    long balanceAfter) {

  /** Some SMS would find no credit. */
  public boolean short_() {
    return fallbacks + noCredit > 0;
  }
}

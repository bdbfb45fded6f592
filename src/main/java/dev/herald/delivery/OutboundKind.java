package dev.herald.delivery;

import java.time.Duration;
import java.util.Locale;

/**
 * What a message is for: it sets the claim's priority (lower goes first: a reply, a document or a
 * reminder before a mass message) and how long the message stays worth sending when nothing says.
 */
public enum OutboundKind {
  /** A reply to the customer's own message. */
  REPLY(1, Duration.ofHours(24)),
  /** A message written to one contact. */
  DIRECT(2, Duration.ofHours(24)),
  /** A quote or invoice sent to its customer. */
  DOCUMENT(2, Duration.ofDays(3)),
  /** A reminder (overdue document, appointment). */
  REMINDER(2, Duration.ofHours(24)),
  /** An alert to the company's own people (credit low, payment overdue). */
  ALERT(1, Duration.ofHours(24)),
  /** An account e-mail (password reset): short-lived. */
  ACCOUNT(0, Duration.ofHours(1)),
  /** One of many messages of one action (a route start, a mass message). */
  BULK(5, Duration.ofHours(24)),
  /** The answer to a customer's START or HELP: free (no credit), first in line. */
  KEYWORD_ANSWER(0, Duration.ofHours(24)),
  /**
   * The one confirmation of a customer's STOP: free, first in line, and the only message that goes
   * to a number on the suppression list (it is sent just after the number was put there).
   */
  OPT_OUT_ANSWER(0, Duration.ofHours(24));

  private final int priority;
  private final Duration validity;

  OutboundKind(int priority, Duration validity) {
    this.priority = priority;
    this.validity = validity;
  }

  /** 0 goes first. */
  public int priority() {
    return priority;
  }

  /** How long after enqueue the message expires unless the caller says otherwise. */
  public Duration defaultValidity() {
    return validity;
  }

  /**
   * Whether the customer may answer it, so that it goes from one of the company's numbers rather
   * than its alphanumeric name (a reply, a message written to one contact, the answer to a keyword,
   * which tells the customer what to text back).
   */
  public boolean expectsReply() {
    return this == REPLY || this == DIRECT || this == KEYWORD_ANSWER || this == OPT_OUT_ANSWER;
  }

  /** Whether it costs the company nothing: no credit is reserved, and it goes even at zero. */
  public boolean free() {
    return this == KEYWORD_ANSWER || this == OPT_OUT_ANSWER;
  }

  /** Whether it goes to a suppressed (opted-out) recipient all the same. */
  public boolean passesSuppression() {
    return this == OPT_OUT_ANSWER;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OutboundKind fromCode(String code) {
    return code == null ? DIRECT : valueOf(code.toUpperCase(Locale.ROOT));
  }
}

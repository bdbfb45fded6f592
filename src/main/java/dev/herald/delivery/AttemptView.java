package dev.herald.delivery;

import java.time.Instant;

/**
 * One attempt to hand a message to a gateway. outcome is SUBMITTED, TRANSIENT_FAILURE or
 * PERMANENT_FAILURE, or null while in flight or when the node died before recording it.
 */
public record AttemptView(
    int number,
    String node,
    String gateway,
    Instant startedAt,
    Instant finishedAt,
    String outcome,
    String errorCode,
    String errorMessage) {}

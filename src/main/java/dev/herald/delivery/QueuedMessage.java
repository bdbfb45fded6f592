package dev.herald.delivery;

import java.util.UUID;

/**
 * A message as queued: its id, channel, status (queued) and the segments it will bill (0 for
 * e-mail).
 */
public record QueuedMessage(UUID id, Channel channel, MessageStatus status, int segments) {}

package dev.herald.delivery;

import java.util.UUID;

/** Which messages a list shows; a null field does not filter. */
public record MessageFilter(MessageStatus status, Channel channel, UUID contactId) {

  public static MessageFilter all() {
    return new MessageFilter(null, null, null);
  }
}

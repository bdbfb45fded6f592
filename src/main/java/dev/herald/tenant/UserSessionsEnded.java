package dev.herald.tenant;

import java.util.UUID;

/**
 * A user's sessions must end now: the user was removed, or their password was reset by a link.
 * Published inside the transaction that did it; the sessions' owner ({@code web}) removes them.
 */
public record UserSessionsEnded(UUID userId, String email) {

  @Override
  public String toString() {
    return "UserSessionsEnded[" + userId + "]";
  }
}

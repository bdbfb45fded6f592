package dev.herald.web;

import dev.herald.tenant.UserSessionsEnded;
import org.springframework.context.event.EventListener;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/**
 * Ends every session of a user who was removed or whose password was reset: the sessions live in
 * Spring Session's tables, indexed by the principal's name (the e-mail).
 */
@Component
class SessionsOfUsers {

  private final FindByIndexNameSessionRepository<? extends Session> sessions;

  SessionsOfUsers(FindByIndexNameSessionRepository<? extends Session> sessions) {
    this.sessions = sessions;
  }

  @EventListener
  void on(UserSessionsEnded ended) {
    sessions.findByPrincipalName(ended.email()).keySet().forEach(sessions::deleteById);
  }
}

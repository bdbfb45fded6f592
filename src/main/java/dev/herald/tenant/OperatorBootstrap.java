package dev.herald.tenant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The first operator of a production Herald (no demo there): {@code HERALD_OPERATOR_EMAIL} and
 * {@code HERALD_OPERATOR_PASSWORD} create it at start unless a user with that e-mail exists.
 */
@Component
class OperatorBootstrap {

  private static final Logger log = LoggerFactory.getLogger(OperatorBootstrap.class);

  private final Users users;
  private final Environment env;

  OperatorBootstrap(Users users, Environment env) {
    this.users = users;
    this.env = env;
  }

  @EventListener(ApplicationReadyEvent.class)
  void createFirstOperator() {
    String email = env.getProperty("herald.operator.email");
    String password = env.getProperty("herald.operator.password");
    if (email == null || email.isBlank() || password == null) {
      return;
    }
    if (users.findByEmail(email).isPresent()) {
      return;
    }
    if (password.length() < Users.MIN_PASSWORD_LENGTH) {
      log.error(
          "HERALD_OPERATOR_PASSWORD needs at least {} characters; no operator created",
          Users.MIN_PASSWORD_LENGTH);
      return;
    }
    try {
      users.create(null, email, password, "Operator", Role.OPERATOR);
      log.info("Created the operator user from HERALD_OPERATOR_EMAIL");
    } catch (DuplicateKeyException createdByAnotherInstance) {
      // Two instances starting at once: the unique e-mail index lets one win.
    }
  }
}

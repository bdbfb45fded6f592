package dev.herald.tenant;

import dev.herald.shared.Hashes;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Forgot password": single-use links that expire after an hour, stored as SHA-256 hashes. Whether
 * an address has an account is never told to the person asking.
 */
@Service
public class PasswordResets {

  /** How long a link works. */
  public static final Duration VALID_FOR = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(PasswordResets.class);
  private static final SecureRandom random = new SecureRandom();

  private final JdbcClient jdbc;
  private final Users users;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  PasswordResets(JdbcClient jdbc, Users users, ApplicationEventPublisher events, Clock clock) {
    this.jdbc = jdbc;
    this.users = users;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Sends a reset link to the user with this e-mail, if there is one; the caller answers the same
   * either way. {@code linkBase} is where the reset page is ({@code https://…/password/reset}).
   */
  @Transactional
  public void request(String email, String linkBase) {
    users.findByEmail(email).filter(HeraldUser::isEnabled).ifPresent(user -> send(user, linkBase));
  }

  /** An owner sends a reset link to a user of the company (who then sets their own password). */
  @Transactional
  public void send(HeraldUser user, String linkBase) {
    if (user.tenantId() == null) {
      // Operators have no company whose e-mail queue could carry the link; their password comes
      // from HERALD_OPERATOR_PASSWORD or another operator.
      log.info("No reset e-mail for an operator account ({})", user.id());
      return;
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    jdbc.sql(
            """
            INSERT INTO password_reset (token_hash, user_id, created_at, expires_at)
            VALUES (:hash, :user, :now, :expires)
            """)
        .param("hash", Hashes.sha256(token))
        .param("user", user.id())
        .param("now", Timestamp.from(now))
        .param("expires", Timestamp.from(now.plus(VALID_FOR)))
        .update();
    events.publishEvent(
        new PasswordResetRequested(
            user.tenantId(),
            user.email(),
            user.displayName(),
            user.language(),
            linkBase + "?token=" + token));
  }

  /** The link still works: known, not used, not expired. */
  public boolean usable(String token) {
    return userOf(token).isPresent();
  }

  /**
   * Sets the new password and spends the link; empty when the link was used, expired or never
   * existed. The password must pass {@link Users#passwordProblems} first.
   */
  @Transactional
  public Optional<UUID> reset(String token, String newPassword) {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    Optional<UUID> user =
        jdbc.sql(
                """
                UPDATE password_reset SET used_at = :now
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                RETURNING user_id
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("hash", Hashes.sha256(token))
            .query(UUID.class)
            .optional();
    user.ifPresent(id -> {
      users.changePassword(id, newPassword);
      users.findById(id).ifPresent(users::signOut);
    });
    return user;
  }

  private Optional<UUID> userOf(String token) {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    return jdbc.sql(
            """
            SELECT user_id FROM password_reset
            WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
            """)
        .param("hash", Hashes.sha256(token))
        .param("now", Timestamp.from(clock.instant()))
        .query(UUID.class)
        .optional();
  }
}

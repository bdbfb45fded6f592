package dev.herald.tenant;

import dev.herald.shared.EmailAddresses;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.TenantId;
import dev.herald.shared.Text;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Company users and operator users; also what form log-in looks people up in. */
@Repository
public class Users implements UserDetailsService {

  private final JdbcClient jdbc;
  private final PasswordEncoder passwords;
  private final Clock clock;

  Users(JdbcClient jdbc, PasswordEncoder passwords, Clock clock) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.clock = clock;
  }

  /** Creates a user of a company, or an operator when {@code tenant} is null and role OPERATOR. */
  @Transactional
  public HeraldUser create(
      TenantId tenant, String email, String rawPassword, String displayName, Role role) {
    UUID id = Ids.next();
    jdbc.sql(
            """
            INSERT INTO app_user (id, tenant_id, email, password_hash, display_name, role, created_at)
            VALUES (:id, :tenant, :email, :hash, :name, :role, :now)
            """)
        .param("id", id)
        .param("tenant", tenant == null ? null : tenant.value())
        .param("email", email.strip())
        .param("hash", passwords.encode(rawPassword))
        .param("name", displayName)
        .param("role", role.name())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return findByEmail(email).orElseThrow();
  }

  /** Passwords shorter than this are refused. */
  public static final int MIN_PASSWORD_LENGTH = 10;

  /** BCrypt reads at most 72 bytes and Spring Security refuses more rather than ignore them. */
  public static final int MAX_PASSWORD_BYTES = 72;

  /**
   * Adds a user on behalf of {@code addedBy}, a company's owner or admin: only an owner may add
   * another owner. The rule looks at the role as it will be stored, so " owner " is an owner too.
   * An e-mail that is taken gets the same answer whether this company or another has it, so a
   * company cannot find out who uses Herald elsewhere.
   */
  @Transactional
  public HeraldUser add(TenantId tenant, NewUser user, Role addedBy) {
    if (roleOf(user) == Role.OWNER && addedBy != Role.OWNER) {
      throw new InvalidInputException(FieldProblem.of("role", "user.role.ownerOnly"));
    }
    try {
      return add(tenant, user);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(
          e.problems().stream()
              .map(p ->
                  "user.email.taken".equals(p.code())
                      ? FieldProblem.of(p.field(), "user.email.unavailable")
                      : p)
              .toList());
    }
  }

  /** Adds a user to a company after checking what was typed; a taken e-mail is a field problem. */
  @Transactional
  public HeraldUser add(TenantId tenant, NewUser user) {
    List<FieldProblem> problems = problemsOf(user);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    String email = user.email().strip();
    if (findByEmail(email).isPresent()) {
      throw new InvalidInputException(FieldProblem.of("email", "user.email.taken", email));
    }
    try {
      return create(tenant, email, user.password(), user.displayName().strip(), roleOf(user));
    } catch (DuplicateKeyException raced) {
      throw new InvalidInputException(FieldProblem.of("email", "user.email.taken", email));
    }
  }

  /** What is wrong with a company user as typed, without looking at the database. */
  static List<FieldProblem> problemsOf(NewUser user) {
    List<FieldProblem> problems = new ArrayList<>();
    String email = user.email() == null ? "" : user.email().strip();
    if (!EmailAddresses.isValid(email)) {
      problems.add(FieldProblem.of("email", "email.invalid", email));
    }
    String name = user.displayName() == null ? "" : user.displayName().strip();
    if (name.isEmpty() || name.length() > 200 || Text.problem(name, false).isPresent()) {
      problems.add(FieldProblem.of("displayName", "user.name.required"));
    }
    Role role = roleOf(user);
    if (role == null || role == Role.OPERATOR) {
      problems.add(FieldProblem.of("role", "user.role.invalid"));
    }
    if (user.password() == null || user.password().length() < MIN_PASSWORD_LENGTH) {
      problems.add(FieldProblem.of("password", "user.password.tooShort", MIN_PASSWORD_LENGTH));
    } else if (user.password().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > MAX_PASSWORD_BYTES) {
      problems.add(FieldProblem.of("password", "user.password.tooLong", MAX_PASSWORD_BYTES));
    }
    return problems;
  }

  private static Role roleOf(NewUser user) {
    try {
      return Role.valueOf(String.valueOf(user.role()).strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Transactional
  public void changePassword(UUID userId, String rawPassword) {
    jdbc.sql("UPDATE app_user SET password_hash = :hash WHERE id = :id")
        .param("hash", passwords.encode(rawPassword))
        .param("id", userId)
        .update();
  }

  public Optional<HeraldUser> findByEmail(String email) {
    if (Text.problem(email, false).isPresent()) {
      return Optional.empty(); // no stored e-mail has such characters, and PostgreSQL refuses NUL
    }
    return jdbc.sql("SELECT * FROM app_user WHERE lower(email) = lower(:email)")
        .param("email", email == null ? "" : email.strip())
        .query(Users::map)
        .optional();
  }

  public List<HeraldUser> ofCompany(TenantId tenant) {
    return jdbc.sql("SELECT * FROM app_user WHERE tenant_id = :t ORDER BY lower(email)")
        .param("t", tenant.value())
        .query(Users::map)
        .list();
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    return findByEmail(username).orElseThrow(() -> new UsernameNotFoundException("No such user"));
  }

  private static HeraldUser map(ResultSet rs, int row) throws SQLException {
    UUID tenant = rs.getObject("tenant_id", UUID.class);
    return new HeraldUser(
        rs.getObject("id", UUID.class),
        tenant == null ? null : new TenantId(tenant),
        rs.getString("email"),
        rs.getString("password_hash"),
        rs.getString("display_name"),
        Role.valueOf(rs.getString("role")),
        Language.fromCode(rs.getString("language")).orElse(null),
        rs.getBoolean("enabled"));
  }
}

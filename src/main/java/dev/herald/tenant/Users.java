package dev.herald.tenant;

import dev.herald.shared.EmailAddresses;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.NotFoundException;
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
import org.springframework.context.ApplicationEventPublisher;
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
  private final ApplicationEventPublisher events;

  Users(JdbcClient jdbc, PasswordEncoder passwords, Clock clock, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.clock = clock;
    this.events = events;
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
    List<FieldProblem> problems = new ArrayList<>(problemsOf(user));
    // A taken e-mail is said with the other problems, not in a second round.
    if (problems.stream().noneMatch(p -> p.field().equals("email"))
        && findByEmail(user.email().strip()).isPresent()) {
      problems.add(FieldProblem.of("email", "user.email.taken", user.email().strip()));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    String email = user.email().strip();
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
    problems.addAll(passwordProblems("password", user.password()));
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
    // A new password spends every reset link still open for this user, whoever asked for it.
    jdbc.sql(
            """
            UPDATE password_reset SET used_at = :now
            WHERE user_id = :id AND used_at IS NULL
            """)
        .param("now", Timestamp.from(clock.instant()))
        .param("id", userId)
        .update();
  }

  /** What is wrong with a new password, at field {@code field}; empty when it is fine. */
  public static List<FieldProblem> passwordProblems(String field, String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      return List.of(FieldProblem.of(field, "user.password.tooShort", MIN_PASSWORD_LENGTH));
    }
    if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return List.of(FieldProblem.of(field, "user.password.tooLong", MAX_PASSWORD_BYTES));
    }
    return List.of();
  }

  /**
   * A signed-in person changes their own password: the current one proves it is them, the new one
   * is typed twice. Every problem is reported at once.
   */
  @Transactional
  public void changeOwnPassword(UUID userId, String current, String password, String repeat) {
    HeraldUser user = findById(userId).orElseThrow(() -> new NotFoundException("User"));
    List<FieldProblem> problems = new ArrayList<>();
    if (current == null || !passwords.matches(current, user.passwordHash())) {
      problems.add(FieldProblem.of("current", "account.password.currentWrong"));
    }
    problems.addAll(passwordProblems("password", password));
    if (password != null && !password.equals(repeat)) {
      problems.add(FieldProblem.of("repeat", "account.password.mismatch"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    changePassword(userId, password);
  }

  public Optional<HeraldUser> findById(UUID id) {
    return jdbc.sql("SELECT * FROM app_user WHERE id = :id")
        .param("id", id)
        .query(Users::map)
        .optional();
  }

  /** A user of this company; another company's user is not found. */
  public Optional<HeraldUser> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM app_user WHERE tenant_id = :t AND id = :id")
        .param("t", tenant.value())
        .param("id", id)
        .query(Users::map)
        .optional();
  }

  /**
   * An owner changes a user's name and role. A company keeps at least one owner, so the last one
   * cannot be made admin or staff.
   */
  @Transactional
  public void update(TenantId tenant, UUID id, String displayName, String role, Role by) {
    if (by != Role.OWNER) {
      throw new InvalidInputException(FieldProblem.of("role", "user.ownersOnly"));
    }
    HeraldUser user = find(tenant, id).orElseThrow(() -> new NotFoundException("User"));
    List<FieldProblem> problems = new ArrayList<>();
    String name = displayName == null ? "" : displayName.strip();
    if (name.isEmpty() || name.length() > 200 || Text.problem(name, false).isPresent()) {
      problems.add(FieldProblem.of("displayName", "user.name.required"));
    }
    Role newRole = roleOf(new NewUser(null, null, role, null));
    if (newRole == null || newRole == Role.OPERATOR) {
      problems.add(FieldProblem.of("role", "user.role.invalid"));
    } else if (user.role() == Role.OWNER && newRole != Role.OWNER && owners(tenant) <= 1) {
      problems.add(FieldProblem.of("role", "user.lastOwner"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            "UPDATE app_user SET display_name = :name, role = :role WHERE tenant_id = :t AND id = :id")
        .param("name", name)
        .param("role", newRole.name())
        .param("t", tenant.value())
        .param("id", id)
        .update();
  }

  /**
   * An owner removes a user of the company, who is signed out at once. Nobody removes themselves,
   * and the last owner stays.
   */
  @Transactional
  public void remove(TenantId tenant, UUID id, HeraldUser by) {
    if (by.role() != Role.OWNER) {
      throw new InvalidInputException(FieldProblem.of("user", "user.ownersOnly"));
    }
    HeraldUser user = find(tenant, id).orElseThrow(() -> new NotFoundException("User"));
    if (user.id().equals(by.id())) {
      throw new InvalidInputException(FieldProblem.of("user", "user.notYourself"));
    }
    if (user.role() == Role.OWNER && owners(tenant) <= 1) {
      throw new InvalidInputException(FieldProblem.of("user", "user.lastOwner"));
    }
    signOut(user);
    jdbc.sql("DELETE FROM app_user WHERE tenant_id = :t AND id = :id")
        .param("t", tenant.value())
        .param("id", id)
        .update();
  }

  /** Ends every session of the user (after a removal or a password reset). */
  @Transactional
  public void signOut(HeraldUser user) {
    events.publishEvent(new UserSessionsEnded(user.id(), user.email()));
  }

  private int owners(TenantId tenant) {
    return jdbc.sql("SELECT count(*) FROM app_user WHERE tenant_id = :t AND role = 'OWNER'")
        .param("t", tenant.value())
        .query(Integer.class)
        .single();
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

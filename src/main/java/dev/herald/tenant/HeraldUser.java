package dev.herald.tenant;

import dev.herald.shared.Language;
import dev.herald.shared.TenantId;
import java.io.Serial;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A signed-in person: a company user (tenant set) or an operator (no tenant). The tenant of every
 * request comes from here, never from a request parameter.
 */
public record HeraldUser(
    UUID id,
    TenantId tenantId,
    String email,
    String passwordHash,
    String displayName,
    Role role,
    Language language,
    boolean enabled)
    implements UserDetails {

  @Serial private static final long serialVersionUID = 1L;

  public boolean isOperator() {
    return role == Role.OPERATOR;
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
  }

  @Override
  public String getPassword() {
    return passwordHash;
  }

  @Override
  public String getUsername() {
    return email;
  }

  @Override
  public boolean isEnabled() {
    return enabled;
  }

  /** The password hash never leaves the session store in a log line. */
  @Override
  public String toString() {
    return "HeraldUser["
        + id
        + ", "
        + role
        + (tenantId == null ? "" : ", tenant " + tenantId)
        + "]";
  }
}

package dev.herald.web;

import dev.herald.tenant.ApiClient;
import dev.herald.tenant.ApiKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer <api key>}; the key decides the tenant. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

  private final ApiKeys apiKeys;

  ApiKeyAuthenticationFilter(ApiKeys apiKeys) {
    this.apiKeys = apiKeys;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      apiKeys
          .authenticate(header.substring(7).strip())
          .ifPresent(tenant -> {
            var auth =
                UsernamePasswordAuthenticationToken.authenticated(
                    new ApiClient(tenant), null, List.of(new SimpleGrantedAuthority("ROLE_API")));
            SecurityContextHolder.getContext().setAuthentication(auth);
          });
    }
    chain.doFilter(request, response);
  }
}

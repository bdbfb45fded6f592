package dev.herald.delivery.kannel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Carriers call {@code /carriers/**} with neither a session nor CSRF token nor API key: each
 * callback proves itself with its gateway's secret, checked by its controller.
 */
@Configuration(proxyBeanMethods = false)
class CarrierCallbackSecurity {

  @Bean
  @Order(0)
  SecurityFilterChain carrierCallbacks(HttpSecurity http) throws Exception {
    return http.securityMatcher("/carriers/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        .build();
  }
}

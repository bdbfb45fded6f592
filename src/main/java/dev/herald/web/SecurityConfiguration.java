package dev.herald.web;

import dev.herald.tenant.ApiKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.web.servlet.LocaleResolver;

/**
 * Two ways in: the REST API with a company's API key (stateless), and the web UI with form log-in
 * (sessions in PostgreSQL, CSRF on).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  @Order(1)
  SecurityFilterChain api(
      HttpSecurity http, ApiKeys apiKeys, Problems problems, LocaleResolver languages)
      throws Exception {
    return http.securityMatcher("/api/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .addFilterBefore(
            new ApiKeyAuthenticationFilter(apiKeys), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> auth.anyRequest().hasRole("API"))
        .exceptionHandling(e ->
            e.authenticationEntryPoint((req, res, ex) ->
                    problems.write(
                        req,
                        res,
                        problems.of(HttpStatus.UNAUTHORIZED, languages.resolveLocale(req))))
                .accessDeniedHandler((req, res, ex) ->
                    problems.write(
                        req, res, problems.of(HttpStatus.FORBIDDEN, languages.resolveLocale(req)))))
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain ui(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(auth ->
            auth.requestMatchers(
                    "/login",
                    "/password/forgot",
                    "/password/reset",
                    // The customer portal (issue 11): its token is the credential.
                    "/p/**",
                    // Payments (issue 10): the sandbox's hosted checkout (its session id is the
                    // credential) and providers' webhooks (their signature is).
                    "/pay/sandbox/**",
                    "/webhooks/**",
                    "/error",
                    "/webjars/**",
                    "/css/**",
                    "/js/**",
                    "/favicon.ico",
                    "/actuator/health",
                    "/actuator/health/**",
                    "/v3/api-docs",
                    "/v3/api-docs/**",
                    "/swagger-ui.html",
                    "/swagger-ui/**")
                .permitAll()
                .requestMatchers("/actuator/**")
                .hasRole("OPERATOR")
                .requestMatchers("/operator/**")
                .hasRole("OPERATOR")
                // Staff work with contacts and messages; settings and keys are for owners and
                // admins.
                .requestMatchers("/settings/**")
                .hasAnyRole("OWNER", "ADMIN")
                .requestMatchers("/sms/**")
                .hasAnyRole("OWNER", "ADMIN", "STAFF")
                .requestMatchers("/contacts/**", "/messages/**", "/documents/**")
                .hasAnyRole("OWNER", "ADMIN", "STAFF")
                .anyRequest()
                .authenticated())
        // Webhooks are server-to-server posts, verified by the provider's signature instead.
        .csrf(csrf -> csrf.ignoringRequestMatchers("/webhooks/**"))
        .formLogin(form ->
            form.loginPage("/login")
                .defaultSuccessUrl("/", false)
                // A wrong password keeps the e-mail: the log-in page offers it again, once.
                .failureHandler((request, response, e) -> {
                  request
                      .getSession()
                      .setAttribute(
                          PagesController.LAST_EMAIL,
                          PagesController.typedEmail(request.getParameter("username")));
                  response.sendRedirect(request.getContextPath() + "/login?error");
                })
                .permitAll())
        .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
        .exceptionHandling(e ->
            e.defaultAuthenticationEntryPointFor(
                new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                request -> "true".equals(request.getHeader("HX-Request"))))
        .build();
  }
}

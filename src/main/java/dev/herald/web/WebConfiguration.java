package dev.herald.web;

import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

/** The UI speaks English, French and Danish; {@code ?lang=da} switches and a cookie remembers. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

  private final ObjectProvider<LocaleResolver> localeResolver;

  WebConfiguration(ObjectProvider<LocaleResolver> localeResolver) {
    this.localeResolver = localeResolver;
  }

  /** Replaces Spring Boot's: the same bundles, formatted with ICU plural rules. */
  @Bean
  MessageSource messageSource() {
    return new IcuMessageSource("messages");
  }

  @Bean
  LocaleResolver localeResolver() {
    CookieLocaleResolver resolver = new CookieLocaleResolver(UiLanguages.COOKIE);
    // No cookie yet: the browser's (or API client's) Accept-Language, if Herald speaks it.
    resolver.setDefaultLocaleFunction(request -> UiLanguages.of(request.getLocale()).locale());
    // A malformed cookie is the client's, not a reason to fail every page: ignored (and replaced
    // by LanguageSwitch).
    resolver.setRejectInvalidCookies(false);
    resolver.setCookieMaxAge(Duration.ofDays(365));
    resolver.setCookieSameSite("Lax");
    return resolver;
  }

  /** {@code ?lang=} and a malformed language cookie, before security and error pages. */
  @Bean
  FilterRegistrationBean<LanguageSwitch> languageSwitch() {
    FilterRegistrationBean<LanguageSwitch> registration =
        new FilterRegistrationBean<>(new LanguageSwitch(localeResolver));
    registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 30);
    return registration;
  }
}

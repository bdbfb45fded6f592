package dev.herald.tenant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The address people reach Herald at, for links sent out (portal links): {@code HERALD_PUBLIC_URL}
 * when set, else this instance on localhost (the embedded default); never a request's Host header.
 */
@Component
public class PublicUrls {

  private final String publicUrl;
  private final Environment environment;

  PublicUrls(@Value("${herald.public-url:}") String publicUrl, Environment environment) {
    this.publicUrl = publicUrl == null ? "" : publicUrl.strip();
    this.environment = environment;
  }

  /** The base address without a trailing slash, e.g. {@code https://herald.example.com}. */
  public String base() {
    return publicUrl.isEmpty()
        ? "http://localhost:"
            + environment.getProperty(
                "local.server.port", environment.getProperty("server.port", "8080"))
        : publicUrl.replaceAll("/+$", "");
  }
}

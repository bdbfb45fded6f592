package dev.herald.tenant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where password reset links point: {@code HERALD_PUBLIC_URL} when set (production must set it);
 * unset, this instance on localhost (the embedded default). Never the Host header of the request
 * that asked for the reset: a client can forge it and so send a victim's link to its own server.
 */
@Component
public class ResetLinks {

  private final String publicUrl;
  private final Environment environment;

  ResetLinks(@Value("${herald.public-url:}") String publicUrl, Environment environment) {
    this.publicUrl = publicUrl == null ? "" : publicUrl.strip();
    this.environment = environment;
  }

  /** The reset page's address, to which the token is appended as {@code ?token=}. */
  public String resetPage() {
    String base =
        publicUrl.isEmpty()
            ? "http://localhost:"
                + environment.getProperty(
                    "local.server.port", environment.getProperty("server.port", "8080"))
            : publicUrl.replaceAll("/+$", "");
    return base + "/password/reset";
  }
}

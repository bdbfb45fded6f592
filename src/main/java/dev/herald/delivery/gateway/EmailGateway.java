package dev.herald.delivery.gateway;

import java.util.concurrent.CompletableFuture;

/** Sends e-mail: SMTP in production, the mail sink in the embedded default. */
public interface EmailGateway {

  /**
   * The name configuration chooses it by ({@code herald.delivery.email.gateway}), also its
   * rate-limit key.
   */
  String name();

  CompletableFuture<SubmitResult> send(EmailSubmission email);
}

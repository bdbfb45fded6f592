package dev.herald.payment.web;

import dev.herald.payment.internal.PaymentAccountStore;
import dev.herald.payment.internal.PaymentInbox;
import dev.herald.payment.internal.PaymentProvider;
import dev.herald.payment.internal.ProviderAccount;
import dev.herald.payment.internal.ProviderRegistry;
import dev.herald.payment.internal.SandboxProvider;
import dev.herald.payment.internal.StripePaymentProvider;
import dev.herald.shared.TenantId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Providers' webhooks: the sandbox's, the operator's Stripe account ({@code /webhooks/stripe},
 * secret {@code HERALD_STRIPE_WEBHOOK_SECRET}) and each company's own Stripe account ({@code
 * /webhooks/stripe/<company id>}, the secret from its settings). A bad signature is 400 and stores
 * nothing; an event that could not be processed is 500, so the provider sends it again.
 */
@RestController
class PaymentWebhooks {

  private static final Logger log = LoggerFactory.getLogger(PaymentWebhooks.class);

  private final PaymentInbox inbox;
  private final SandboxProvider sandbox;
  private final StripePaymentProvider stripe;
  private final ProviderRegistry registry;
  private final PaymentAccountStore accounts;

  PaymentWebhooks(
      PaymentInbox inbox,
      SandboxProvider sandbox,
      StripePaymentProvider stripe,
      ProviderRegistry registry,
      PaymentAccountStore accounts) {
    this.inbox = inbox;
    this.sandbox = sandbox;
    this.stripe = stripe;
    this.registry = registry;
    this.accounts = accounts;
  }

  @PostMapping(path = "/webhooks/sandbox", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> sandbox(
      @RequestBody(required = false) String payload, @RequestHeader HttpHeaders headers) {
    if (!registry.sandboxActive()) {
      // A Herald that takes real money has no sandbox to hear from.
      return ResponseEntity.status(HttpStatus.BAD_REQUEST)
          .body(Map.of("error", "invalid signature"));
    }
    return receive(sandbox, new ProviderAccount("sandbox", null, null, null), payload, headers);
  }

  @PostMapping(path = "/webhooks/stripe", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> stripe(
      @RequestBody(required = false) String payload, @RequestHeader HttpHeaders headers) {
    ProviderAccount operator = registry.operatorAccount();
    ProviderAccount account =
        operator.provider().equals("stripe")
            ? operator
            : new ProviderAccount("stripe", null, null, null);
    return receive(stripe, account, payload, headers);
  }

  @PostMapping(path = "/webhooks/stripe/{companyId}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> companyStripe(
      @PathVariable String companyId,
      @RequestBody(required = false) String payload,
      @RequestHeader HttpHeaders headers) {
    Optional<ProviderAccount> account;
    try {
      account = accounts.stripe(new TenantId(UUID.fromString(companyId)));
    } catch (IllegalArgumentException notAnId) {
      account = Optional.empty();
    }
    // No account: answered like a bad signature, revealing nothing about the company.
    return receive(
        stripe, account.orElse(new ProviderAccount("stripe", null, null, null)), payload, headers);
  }

  private ResponseEntity<Map<String, Object>> receive(
      PaymentProvider provider, ProviderAccount account, String payload, HttpHeaders headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, values) -> {
      if (!values.isEmpty()) {
        lower.put(name.toLowerCase(Locale.ROOT), values.get(0));
      }
    });
    try {
      PaymentInbox.Receipt receipt =
          inbox.receive(provider, account, payload == null ? "" : payload, lower);
      return ResponseEntity.ok(
          Map.of("received", true, "duplicate", receipt == PaymentInbox.Receipt.ALREADY_PROCESSED));
    } catch (PaymentProvider.InvalidSignature e) {
      log.info("Refused a {} webhook: {}", provider.name(), e.getMessage());
      return ResponseEntity.status(HttpStatus.BAD_REQUEST)
          .body(Map.of("error", "invalid signature"));
    } catch (RuntimeException e) {
      log.warn("A {} webhook was stored but not processed; it will be again", provider.name(), e);
      return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
          .body(Map.of("error", "not processed, send it again"));
    }
  }
}

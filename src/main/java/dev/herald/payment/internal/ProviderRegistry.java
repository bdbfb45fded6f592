package dev.herald.payment.internal;

import dev.herald.payment.Payee;
import dev.herald.shared.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which provider and account take a payment. The operator's: {@code herald.payment.provider} (the
 * sandbox in the embedded default, Stripe otherwise) with keys from the environment. A company's:
 * its own Stripe keys from Settings > Payments, or, when it has none, the sandbox where the
 * operator runs the sandbox.
 */
@Component
public class ProviderRegistry {

  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  private final Map<String, PaymentProvider> providers;
  private final PaymentAccountStore accounts;
  private final PaymentSettings settings;
  private final String operatorProvider;

  ProviderRegistry(
      List<PaymentProvider> providers,
      PaymentAccountStore accounts,
      PaymentSettings settings,
      Environment env) {
    this.providers =
        providers.stream().collect(Collectors.toMap(PaymentProvider::name, Function.identity()));
    this.accounts = accounts;
    this.settings = settings;
    String configured = settings.provider() == null ? "" : settings.provider().strip();
    this.operatorProvider =
        !configured.isEmpty()
            ? configured
            : env.getProperty("herald.embedded-database.active", Boolean.class, false)
                ? "sandbox"
                : "stripe";
    if (!this.providers.containsKey(operatorProvider)) {
      throw new IllegalStateException(
          "herald.payment.provider must be one of " + this.providers.keySet());
    }
    log.info("Payments for the operator go through {}", operatorProvider);
  }

  public PaymentProvider provider(String name) {
    PaymentProvider p = providers.get(name);
    if (p == null) {
      throw new IllegalArgumentException("No payment provider " + name);
    }
    return p;
  }

  public boolean sandboxActive() {
    return operatorProvider.equals("sandbox");
  }

  /** The operator's account with its provider. */
  public ProviderAccount operatorAccount() {
    return operatorProvider.equals("stripe")
        ? new ProviderAccount(
            "stripe", null, settings.stripe().secretKey(), settings.stripe().webhookSecret())
        : new ProviderAccount("sandbox", null, null, null);
  }

  /** The account that takes a payee's payments, or empty when the company has none. */
  public Optional<ProviderAccount> accountFor(TenantId tenant, Payee payee) {
    if (payee instanceof Payee.Operator) {
      return Optional.of(operatorAccount());
    }
    Optional<ProviderAccount> own = accounts.stripe(tenant);
    if (own.isPresent()) {
      return own;
    }
    return sandboxActive()
        ? Optional.of(new ProviderAccount("sandbox", tenant, null, null))
        : Optional.empty();
  }

  /** The account a stored payment was taken with. */
  public Optional<ProviderAccount> accountOf(PaymentRow payment) {
    if (payment.provider().equals("sandbox")) {
      return Optional.of(
          new ProviderAccount(
              "sandbox",
              payment.account().equals("company") ? payment.tenantId() : null,
              null,
              null));
    }
    if (payment.account().equals("operator")) {
      return Optional.of(
          new ProviderAccount(
              "stripe", null, settings.stripe().secretKey(), settings.stripe().webhookSecret()));
    }
    return accounts.stripe(payment.tenantId());
  }
}

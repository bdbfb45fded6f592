package dev.herald.billing.rest;

import dev.herald.billing.Orders;
import dev.herald.billing.Pricing;
import dev.herald.billing.SmsOrder;
import dev.herald.payment.Checkout;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.ApiClient;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Buying SMS packs over the API (H3, J1): the packs of the company's currency, an order placed in
 * one call (Idempotency-Key required; answers the checkout URL or the bank transfer's details), and
 * the order's state. Prices always come from the server's price list; another company's order is
 * 404.
 */
@RestController
@RequestMapping("/api/v1/billing")
class OrdersApiController {

  private final Orders orders;

  OrdersApiController(Orders orders) {
    this.orders = orders;
  }

  record Amount(String amount, String currency) {
    static Amount of(Money m) {
      return m == null
          ? null
          : new Amount(m.toDecimal().toPlainString(), m.currency().getCurrencyCode());
    }
  }

  record PackView(UUID id, int sms, Amount price) {}

  record BillingDetails(
      String name, String address, String country, String vatNumber, String email) {}

  /**
   * What a client sends; any price in it is not read. {@code kind}: "pack" (the default, with its
   * {@code packId}) or "subscription" (the monthly subscription's first block, no pack id).
   */
  record OrderRequest(
      String kind, String packId, String method, BillingDetails billing, String returnUrl) {}

  record BankTransferView(
      Amount amount,
      String accountHolder,
      String iban,
      String bic,
      String reference,
      LocalDate expectedBy) {}

  record OrderView(
      UUID id,
      String status,
      String kind,
      int sms,
      String method,
      Amount subtotal,
      Amount taxTotal,
      Amount total,
      boolean reverseCharge,
      String checkoutUrl,
      BankTransferView bankTransfer,
      UUID invoiceId,
      String failureReason,
      Instant createdAt,
      Instant expiresAt,
      Instant paidAt) {}

  @Operation(summary = "The SMS packs the company can buy, in its currency")
  @GetMapping("/packs")
  List<PackView> packs(@AuthenticationPrincipal ApiClient client) {
    return orders.packs(client.tenantId()).stream().map(OrdersApiController::view).toList();
  }

  @Operation(
      summary =
          "Order a pack, or with kind \"subscription\" the monthly subscription's first block"
              + " (Idempotency-Key required): answers the checkout URL, or the bank"
              + " transfer's details and reference")
  @PostMapping("/orders")
  ResponseEntity<OrderView> order(
      @AuthenticationPrincipal ApiClient client,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody OrderRequest request,
      HttpServletRequest http,
      Locale locale) {
    if (idempotencyKey == null) {
      throw new InvalidInputException(
          FieldProblem.of("Idempotency-Key", "api.idempotencyKey.required"));
    }
    TenantId tenant = client.tenantId();
    boolean replay = orders.byIdempotencyKey(tenant, idempotencyKey).isPresent();
    BillingDetails b =
        request.billing() == null
            ? new BillingDetails(null, null, null, null, null)
            : request.billing();
    Orders.Placed placed =
        orders.create(
            tenant,
            request.kind(),
            request.packId(),
            new Orders.Details(b.name(), b.address(), b.country(), b.vatNumber(), b.email()),
            request.method(),
            locale,
            returnUrl(request.returnUrl(), http),
            idempotencyKey);
    OrderView view = view(orders.require(tenant, placed.order().id()), placed.checkout());
    URI location =
        ServletUriComponentsBuilder.fromContextPath(http)
            .path("/api/v1/billing/orders/{id}")
            .buildAndExpand(view.id())
            .toUri();
    if (replay) {
      return ResponseEntity.ok()
          .header("Idempotent-Replayed", "true")
          .location(location)
          .body(view);
    }
    return ResponseEntity.created(location).body(view);
  }

  @Operation(summary = "One order and its state; another company's is 404")
  @GetMapping("/orders/{id}")
  OrderView get(@AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    SmsOrder order =
        orders.find(client.tenantId(), id).orElseThrow(() -> new NotFoundException("Order"));
    return view(order, null);
  }

  private static URI returnUrl(String typed, HttpServletRequest http) {
    if (typed == null || typed.isBlank()) {
      return ServletUriComponentsBuilder.fromContextPath(http)
          .path("/settings/billing")
          .build()
          .toUri();
    }
    try {
      URI uri = URI.create(typed.strip());
      if (uri.isAbsolute()
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new InvalidInputException(FieldProblem.of("returnUrl", "orders.api.returnUrl"));
  }

  private static PackView view(Pricing.Pack p) {
    return new PackView(p.id(), p.sms(), Amount.of(p.price()));
  }

  private static OrderView view(SmsOrder o, Checkout checkout) {
    BankTransferView bank = null;
    if (o.bank() != null) {
      SmsOrder.BankDetails b = o.bank();
      bank =
          new BankTransferView(
              Amount.of(o.total().orElse(null)),
              b.accountHolder(),
              b.iban(),
              b.bic(),
              b.creditorReference(),
              b.expectedBy());
    }
    String url = o.checkoutUrl();
    if (url == null && checkout instanceof Checkout.Redirect r) {
      url = r.url().toString();
    }
    return new OrderView(
        o.id(),
        o.status().code(),
        o.firstBlock() ? Orders.KIND_SUBSCRIPTION : "pack",
        o.sms(),
        o.method().map(Enum::name).orElse(null),
        Amount.of(o.subtotal().orElse(null)),
        Amount.of(o.taxTotal().orElse(null)),
        Amount.of(o.total().orElse(null)),
        o.reverseCharge(),
        o.awaitingPayment() ? url : null,
        bank,
        o.invoiceId(),
        o.failureReason(),
        o.createdAt(),
        o.expiresAt(),
        o.paidAt());
  }
}

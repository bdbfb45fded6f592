package dev.herald.billing.rest;

import dev.herald.billing.Invoice;
import dev.herald.billing.InvoiceDocuments;
import dev.herald.billing.Invoices;
import dev.herald.billing.SmsBilling;
import dev.herald.billing.SmsBillingStatus;
import dev.herald.shared.Money;
import dev.herald.shared.NotFoundException;
import dev.herald.tenant.ApiClient;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import io.swagger.v3.oas.annotations.Operation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** SMS billing of the API key's company (J1): where it stands, and its invoices. */
@RestController
@RequestMapping("/api/v1/billing")
class BillingApiController {

  private final SmsBilling billing;
  private final Invoices invoices;
  private final Companies companies;
  private final InvoiceDocuments documents;

  BillingApiController(
      SmsBilling billing, Invoices invoices, Companies companies, InvoiceDocuments documents) {
    this.billing = billing;
    this.invoices = invoices;
    this.companies = companies;
    this.documents = documents;
  }

  /** Amounts as decimal strings in the currency's minor-unit precision, never floats. */
  record Amount(String amount, String currency) {
    static Amount of(Money m) {
      return m == null
          ? null
          : new Amount(m.toDecimal().toPlainString(), m.currency().getCurrencyCode());
    }
  }

  record SmsView(
      String model,
      String currency,
      Long balance,
      int lowCreditThreshold,
      boolean lowCredit,
      boolean usedUp,
      String subscription,
      Instant periodStart,
      Instant periodEnd,
      Long used,
      Long blocks,
      Long overageBlocks,
      int blockSize,
      Amount blockPrice,
      Amount overageSoFar,
      Amount nextInvoiceEstimate) {}

  record InvoiceSummary(
      UUID id,
      String number,
      String kind,
      String status,
      Instant issuedAt,
      Instant paidAt,
      Amount total) {}

  record LineView(
      String kind,
      int quantity,
      long sms,
      Amount unitPrice,
      Amount amount,
      LocalDate periodStart,
      LocalDate periodEnd) {}

  record TaxView(String name, BigDecimal rate, Amount amount) {}

  record InvoiceView(
      UUID id,
      String number,
      String kind,
      String status,
      Instant issuedAt,
      Instant paidAt,
      Invoice.Party seller,
      Invoice.Party buyer,
      boolean reverseCharge,
      List<LineView> lines,
      List<TaxView> taxes,
      Amount subtotal,
      Amount taxTotal,
      Amount total) {}

  @Operation(
      summary = "The company's SMS model and balance (packs) or this period's usage (blocks)")
  @GetMapping("/sms")
  SmsView sms(@AuthenticationPrincipal ApiClient client) {
    SmsBillingStatus s = billing.status(client.tenantId());
    boolean blocks = s.blocks() && s.subscription().isPresent() && s.subscription().get().active();
    return new SmsView(
        s.model().map(m -> m.code()).orElse(null),
        s.currency(),
        s.packs() ? s.balance() : null,
        s.lowCreditThreshold(),
        s.low(),
        s.usedUp(),
        s.subscription().map(sub -> sub.status()).orElse(null),
        blocks ? s.periodStart() : null,
        blocks ? s.periodEnd() : null,
        blocks ? s.used() : null,
        blocks ? s.blocksStarted() : null,
        blocks ? s.overageBlocks() : null,
        s.blockSize(),
        Amount.of(s.blockPrice()),
        blocks ? Amount.of(s.overageSoFar()) : null,
        blocks ? Amount.of(s.nextInvoiceEstimate()) : null);
  }

  @Operation(summary = "The company's invoices, newest first")
  @GetMapping("/invoices")
  List<InvoiceSummary> invoices(@AuthenticationPrincipal ApiClient client) {
    return invoices.of(client.tenantId()).stream()
        .map(i ->
            new InvoiceSummary(
                i.id(),
                i.number(),
                i.kind(),
                i.status(),
                i.issuedAt(),
                i.paidAt(),
                Amount.of(i.total())))
        .toList();
  }

  @Operation(summary = "One invoice with its lines and taxes; another company's is 404")
  @GetMapping("/invoices/{id}")
  InvoiceView invoice(@AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    Invoice i =
        invoices.find(client.tenantId(), id).orElseThrow(() -> new NotFoundException("Invoice"));
    return new InvoiceView(
        i.id(),
        i.number(),
        i.kind(),
        i.status(),
        i.issuedAt(),
        i.paidAt(),
        i.seller(),
        i.buyer(),
        i.reverseCharge(),
        i.lines().stream()
            .map(l ->
                new LineView(
                    l.kind(),
                    l.quantity(),
                    l.sms(),
                    Amount.of(l.unitPrice()),
                    Amount.of(l.amount()),
                    l.periodStart(),
                    l.periodEnd()))
            .toList(),
        i.taxes().stream()
            .map(t -> new TaxView(t.name(), t.rate(), Amount.of(t.amount())))
            .toList(),
        Amount.of(i.subtotal()),
        Amount.of(i.taxTotal()),
        Amount.of(i.total()));
  }

  @Operation(summary = "The invoice as PDF, in the request's language")
  @GetMapping("/invoices/{id}/pdf")
  ResponseEntity<byte[]> pdf(
      @AuthenticationPrincipal ApiClient client, @PathVariable UUID id, Locale locale) {
    Invoice i =
        invoices.find(client.tenantId(), id).orElseThrow(() -> new NotFoundException("Invoice"));
    Company company = companies.require(client.tenantId());
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("invoice-" + i.number() + ".pdf")
                .build()
                .toString())
        .body(documents.pdf(i, locale, company.timeZone()));
  }
}

package dev.herald.work.rest;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.shared.Money;
import dev.herald.shared.PageOf;
import dev.herald.shared.Paging;
import dev.herald.tenant.ApiClient;
import dev.herald.tenant.Companies;
import dev.herald.tenant.IdempotentRequests;
import dev.herald.tenant.IdempotentRequests.StoredResponse;
import dev.herald.work.Document;
import dev.herald.work.DocumentInput;
import dev.herald.work.DocumentKind;
import dev.herald.work.DocumentSheets;
import dev.herald.work.DocumentStatus;
import dev.herald.work.Documents;
import dev.herald.work.SendingDocuments;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Quotes and invoices a company sends its customers (not Herald's invoices to the company, which
 * are under /api/v1/billing/invoices): create drafts and send them, each POST with an
 * Idempotency-Key.
 */
@RestController
@RequestMapping("/api/v1/documents")
@Tag(
    name = "Documents",
    description = "Quotes and invoices to your customers: create, send by SMS and e-mail, follow")
class DocumentsApiController {

  private final Documents documents;
  private final SendingDocuments sending;
  private final Companies companies;
  private final IdempotentRequests idempotency;
  private final TransactionTemplate transactions;
  private final JsonMapper json;

  DocumentsApiController(
      Documents documents,
      SendingDocuments sending,
      Companies companies,
      IdempotentRequests idempotency,
      TransactionTemplate transactions,
      JsonMapper json) {
    this.documents = documents;
    this.sending = sending;
    this.companies = companies;
    this.idempotency = idempotency;
    this.transactions = transactions;
    this.json = json;
  }

  record LineJson(String description, String quantity, String unitPrice, String taxRate) {}

  record CreateRequest(
      String kind,
      UUID contactId,
      String issueDate,
      String dueDate,
      String note,
      List<LineJson> lines) {}

  record SendRequest(Boolean sms, Boolean email) {}

  record AmountJson(long minorUnits, String currency, BigDecimal value) {
    static AmountJson of(Money m) {
      return new AmountJson(m.minorUnits(), m.currency().getCurrencyCode(), m.toDecimal());
    }
  }

  record LineView(
      String description,
      BigDecimal quantity,
      AmountJson unitPrice,
      BigDecimal taxRate,
      AmountJson net,
      AmountJson tax) {}

  record DocumentJson(
      UUID id,
      String kind,
      String number,
      UUID contactId,
      String status,
      LocalDate issueDate,
      LocalDate dueDate,
      String note,
      List<LineView> lines,
      AmountJson subtotal,
      AmountJson taxTotal,
      AmountJson total,
      Instant sentAt,
      Instant viewedAt,
      Instant answeredAt,
      String answerComment,
      Instant paidAt,
      int version) {}

  record DocumentPage(List<DocumentJson> items, int page, int size, long total) {}

  record SentJson(UUID documentId, UUID smsMessageId, int smsSegments, UUID emailMessageId) {}

  @PostMapping
  @Operation(summary = "Create a draft quote or invoice (Idempotency-Key required)")
  ResponseEntity<String> create(
      @AuthenticationPrincipal ApiClient client,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody CreateRequest request) {
    requireKey(idempotencyKey);
    return transactions
        .execute(tx ->
            idempotency.once(
                client.tenantId(),
                "POST /api/v1/documents",
                idempotencyKey,
                json.writeValueAsString(request),
                () -> {
                  Document doc =
                      documents.create(
                          client.tenantId(),
                          new DocumentInput(
                              request.kind(),
                              request.contactId(),
                              request.issueDate(),
                              request.dueDate(),
                              request.note(),
                              request.lines() == null
                                  ? List.of()
                                  : request.lines().stream()
                                      .map(l ->
                                          l == null
                                              ? null
                                              : new DocumentInput.LineInput(
                                                  l.description(),
                                                  l.quantity(),
                                                  l.unitPrice(),
                                                  l.taxRate()))
                                      .toList()));
                  return StoredResponse.of(
                      201,
                      json.writeValueAsString(view(client, doc)),
                      "/api/v1/documents/" + doc.id());
                }))
        .toResponseEntity();
  }

  /**
   * Sends the document with the company's templates in the contact's language; the channels default
   * to the contact's preferences. A channel that cannot apply is refused (422) with its reason.
   */
  @PostMapping("/{id}/send")
  @Operation(summary = "Send a document by SMS and/or e-mail (Idempotency-Key required)")
  ResponseEntity<String> send(
      @AuthenticationPrincipal ApiClient client,
      @PathVariable UUID id,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody(required = false) SendRequest request) {
    requireKey(idempotencyKey);
    SendRequest r = request == null ? new SendRequest(null, null) : request;
    documents.require(client.tenantId(), id);
    return transactions
        .execute(tx ->
            idempotency.once(
                client.tenantId(),
                "POST /api/v1/documents/" + id + "/send",
                idempotencyKey,
                json.writeValueAsString(r),
                () -> {
                  var queued =
                      sending.sendWithTemplates(client.tenantId(), id, r.sms(), r.email(), "API");
                  return StoredResponse.of(
                      201,
                      json.writeValueAsString(
                          new SentJson(
                              id,
                              queued.smsMessageId(),
                              queued.smsSegments(),
                              queued.emailMessageId())),
                      null);
                }))
        .toResponseEntity();
  }

  @GetMapping("/{id}")
  @Operation(summary = "One document with its lines, totals and status")
  DocumentJson get(@AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    return view(client, documents.require(client.tenantId(), id));
  }

  @GetMapping
  @Operation(summary = "Documents, newest first, filtered by kind and status")
  DocumentPage list(
      @AuthenticationPrincipal ApiClient client,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "25") int size) {
    DocumentKind kindFilter = null;
    if (kind != null && !kind.isBlank()) {
      kindFilter =
          DocumentKind.fromCode(kind)
              .orElseThrow(() ->
                  new InvalidInputException(FieldProblem.of("kind", "documents.kind.invalid")));
    }
    DocumentStatus statusFilter = null;
    if (status != null && !status.isBlank()) {
      statusFilter =
          DocumentStatus.fromCode(status)
              .orElseThrow(() ->
                  new InvalidInputException(FieldProblem.of("status", "documents.status.invalid")));
    }
    Paging.check(page, size);
    PageOf<Document> found =
        documents.search(client.tenantId(), kindFilter, statusFilter, page, size);
    return new DocumentPage(
        found.items().stream().map(d -> view(client, d)).toList(),
        found.page(),
        found.size(),
        found.total());
  }

  @GetMapping(value = "/{id}/pdf", produces = MediaType.APPLICATION_PDF_VALUE)
  @Operation(summary = "The document as PDF, in the company's language")
  ResponseEntity<byte[]> pdf(@AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    Document doc = documents.require(client.tenantId(), id);
    Language language = companies.require(client.tenantId()).language();
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(DocumentSheets.filename(doc))
                .build()
                .toString())
        .body(sending.pdf(client.tenantId(), id, language));
  }

  private static void requireKey(String idempotencyKey) {
    if (idempotencyKey == null) {
      throw new InvalidInputException(
          FieldProblem.of("Idempotency-Key", "api.idempotencyKey.required"));
    }
  }

  private DocumentJson view(ApiClient client, Document d) {
    return new DocumentJson(
        d.id(),
        d.kind().code(),
        d.displayNumber(),
        d.contactId(),
        d.shownStatus(documents.today(client.tenantId())).code(),
        d.issueDate(),
        d.dueDate(),
        d.note(),
        d.lines().stream()
            .map(l ->
                new LineView(
                    l.description(),
                    l.quantity(),
                    AmountJson.of(l.unitPrice()),
                    l.taxRate(),
                    AmountJson.of(l.net()),
                    AmountJson.of(l.tax())))
            .toList(),
        AmountJson.of(d.subtotal()),
        AmountJson.of(d.taxTotal()),
        AmountJson.of(d.total()),
        d.sentAt(),
        d.viewedAt(),
        d.answeredAt(),
        d.answerComment(),
        d.paidAt(),
        d.version());
  }
}

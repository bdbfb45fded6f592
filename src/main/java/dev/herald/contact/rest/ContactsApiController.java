package dev.herald.contact.rest;

import dev.herald.contact.Contact;
import dev.herald.contact.ContactInput;
import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.contact.Contacts;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.PageOf;
import dev.herald.shared.Paging;
import dev.herald.tenant.ApiClient;
import dev.herald.tenant.IdempotentRequests;
import dev.herald.tenant.IdempotentRequests.StoredResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Contacts over REST; the API key decides the company, and another company's ids answer 404. */
@RestController
@RequestMapping("/api/v1/contacts")
@Tag(
    name = "Contacts",
    description = "Customers with their numbers, e-mails and notification preferences")
class ContactsApiController {

  private final Contacts contacts;
  private final IdempotentRequests idempotency;
  private final TransactionTemplate transactions;
  private final JsonMapper json;

  ContactsApiController(
      Contacts contacts,
      IdempotentRequests idempotency,
      TransactionTemplate transactions,
      JsonMapper json) {
    this.contacts = contacts;
    this.idempotency = idempotency;
    this.transactions = transactions;
    this.json = json;
  }

  record PhoneJson(String type, String number, Boolean optedOut) {}

  record PreferencesJson(Boolean email, Boolean sms, Boolean reminders) {}

  /** Preferences left out keep their value (or take the defaults on create). */
  record ContactRequest(
      String name,
      String language,
      String timeZone,
      List<String> emails,
      List<PhoneJson> phones,
      PreferencesJson preferences,
      Integer version) {}

  record ContactResponse(
      UUID id,
      String name,
      String language,
      String timeZone,
      List<String> emails,
      List<PhoneJson> phones,
      PreferencesJson preferences,
      int version,
      Instant createdAt,
      Instant updatedAt) {}

  record ContactPage(List<ContactResponse> items, int page, int size, long total) {}

  /** With an Idempotency-Key, a repeat answers the first answer and creates nothing (J2). */
  @PostMapping
  @Operation(summary = "Create a contact (send an Idempotency-Key to make retries safe)")
  ResponseEntity<?> create(
      @AuthenticationPrincipal ApiClient client,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody ContactRequest request) {
    if (idempotencyKey == null) {
      Contact created = contacts.create(client.tenantId(), input(request));
      return ResponseEntity.created(URI.create("/api/v1/contacts/" + created.id()))
          .eTag(Integer.toString(created.version()))
          .body(view(created));
    }
    return transactions
        .execute(tx ->
            idempotency.once(
                client.tenantId(),
                "POST /api/v1/contacts",
                idempotencyKey,
                json.writeValueAsString(request),
                () -> {
                  Contact created = contacts.create(client.tenantId(), input(request));
                  return StoredResponse.of(
                      201,
                      json.writeValueAsString(view(created)),
                      "/api/v1/contacts/" + created.id());
                }))
        .toResponseEntity();
  }

  @GetMapping("/{id}")
  @Operation(summary = "One contact; its ETag is its version")
  ResponseEntity<ContactResponse> get(
      @AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    Contact contact =
        contacts.find(client.tenantId(), id).orElseThrow(() -> new NotFoundException("Contact"));
    return ResponseEntity.ok().eTag(Integer.toString(contact.version())).body(view(contact));
  }

  @GetMapping
  @Operation(summary = "Contacts whose name, e-mail or number contains the query, by name")
  ContactPage search(
      @AuthenticationPrincipal ApiClient client,
      @RequestParam(defaultValue = "") String query,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "25") int size) {
    Paging.check(page, size);
    PageOf<Contact> found = contacts.search(client.tenantId(), query, page, size);
    return new ContactPage(
        found.items().stream().map(ContactsApiController::view).toList(),
        found.page(),
        found.size(),
        found.total());
  }

  /**
   * Replaces a contact; the version comes from the body or {@code If-Match}, and a stale one is
   * 409.
   */
  @PutMapping("/{id}")
  @Operation(summary = "Replace a contact (needs its version: in the body or as If-Match)")
  ResponseEntity<?> update(
      @AuthenticationPrincipal ApiClient client,
      @PathVariable UUID id,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      @RequestBody ContactRequest request) {
    Integer version = request.version() != null ? request.version() : parseETag(ifMatch);
    if (version == null) {
      contacts.find(client.tenantId(), id).orElseThrow(() -> new NotFoundException("Contact"));
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.PRECONDITION_REQUIRED,
              "Send the version you edited, as \"version\" in the body or as If-Match.");
      return ResponseEntity.status(HttpStatus.PRECONDITION_REQUIRED).body(problem);
    }
    Contact updated = contacts.update(client.tenantId(), id, version, input(request));
    return ResponseEntity.ok().eTag(Integer.toString(updated.version())).body(view(updated));
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Delete (anonymise) a contact")
  ResponseEntity<Void> delete(@AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    contacts.delete(client.tenantId(), id);
    return ResponseEntity.noContent().build();
  }

  private static Integer parseETag(String ifMatch) {
    if (ifMatch == null) {
      return null;
    }
    String value = ifMatch.strip();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    value = value.replace("\"", "");
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(FieldProblem.of("If-Match", "api.badValue"));
    }
  }

  private static ContactInput input(ContactRequest r) {
    PreferencesJson p =
        r.preferences() == null ? new PreferencesJson(null, null, null) : r.preferences();
    List<PhoneInput> phones =
        r.phones() == null
            ? List.of()
            : r.phones().stream()
                .map(ph -> ph == null ? null : new PhoneInput(ph.type(), ph.number()))
                .toList();
    return new ContactInput(
        r.name(),
        r.language(),
        r.timeZone(),
        r.emails(),
        phones,
        p.email(),
        p.sms(),
        p.reminders());
  }

  private static ContactResponse view(Contact c) {
    return new ContactResponse(
        c.id(),
        c.name(),
        c.language().code(),
        c.timeZone() == null ? null : c.timeZone().getId(),
        c.emails(),
        c.phones().stream()
            .map(p -> new PhoneJson(p.type().name(), p.number(), p.optedOut()))
            .toList(),
        new PreferencesJson(
            c.preferences().email(), c.preferences().sms(), c.preferences().reminders()),
        c.version(),
        c.createdAt(),
        c.updatedAt());
  }
}

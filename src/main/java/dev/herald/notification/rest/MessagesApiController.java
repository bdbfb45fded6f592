package dev.herald.notification.rest;

import dev.herald.delivery.Channel;
import dev.herald.delivery.MessageFilter;
import dev.herald.delivery.MessageStatus;
import dev.herald.delivery.MessageView;
import dev.herald.delivery.OutboundMessages;
import dev.herald.notification.SendingMessages;
import dev.herald.notification.SendingMessages.Sent;
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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.MessageSource;
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
 * Sending a message to a contact and following it (C3, G1); every send needs an Idempotency-Key.
 */
@RestController
@RequestMapping("/api/v1/messages")
@Tag(
    name = "Messages",
    description = "Send a message to a contact by SMS and/or e-mail, and follow it")
class MessagesApiController {

  private final SendingMessages sending;
  private final OutboundMessages outbound;
  private final IdempotentRequests idempotency;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final MessageSource messages;

  MessagesApiController(
      SendingMessages sending,
      OutboundMessages outbound,
      IdempotentRequests idempotency,
      TransactionTemplate transactions,
      JsonMapper json,
      MessageSource messages) {
    this.sending = sending;
    this.outbound = outbound;
    this.idempotency = idempotency;
    this.transactions = transactions;
    this.json = json;
    this.messages = messages;
  }

  record SendRequest(UUID contactId, String text) {}

  record QueuedJson(UUID id, String channel, String status, int segments) {}

  record SkippedJson(String channel, String reason, String message) {}

  record SendResponse(UUID contactId, List<QueuedJson> messages, List<SkippedJson> skipped) {}

  record AttemptJson(
      int number,
      String node,
      String gateway,
      Instant startedAt,
      Instant finishedAt,
      String outcome,
      String errorCode,
      String errorMessage) {}

  record MessageJson(
      UUID id,
      UUID contactId,
      String channel,
      String recipient,
      String status,
      String statusReason,
      String errorCode,
      String encoding,
      int segments,
      int attempts,
      Instant createdAt,
      Instant sentAt,
      Instant nextAttemptAt,
      List<AttemptJson> attemptHistory) {}

  record MessagePage(List<MessageJson> items, int page, int size, long total) {}

  /**
   * Queues the text as SMS and/or e-mail as the contact's preferences allow. 201 when something was
   * queued, 200 when every channel was skipped (each with its reason). A repeat with the same
   * Idempotency-Key answers the first answer; the same key with another body answers 422.
   */
  @PostMapping
  @Operation(summary = "Send a message to a contact (Idempotency-Key required)")
  ResponseEntity<String> send(
      @AuthenticationPrincipal ApiClient client,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody SendRequest request,
      Locale locale) {
    if (idempotencyKey == null) {
      throw new InvalidInputException(
          FieldProblem.of("Idempotency-Key", "api.idempotencyKey.required"));
    }
    if (request.contactId() == null) {
      throw new InvalidInputException(
          FieldProblem.of("contactId", "notification.contact.required"));
    }
    return transactions
        .execute(tx ->
            idempotency.once(
                client.tenantId(),
                "POST /api/v1/messages",
                idempotencyKey,
                json.writeValueAsString(request),
                () -> {
                  Sent sent = sending.send(client.tenantId(), request.contactId(), request.text());
                  String body = json.writeValueAsString(view(sent, locale));
                  return StoredResponse.of(sent.messages().isEmpty() ? 200 : 201, body, null);
                }))
        .toResponseEntity();
  }

  @GetMapping("/{id}")
  @Operation(summary = "One message with its status, reason and attempts")
  MessageJson get(@AuthenticationPrincipal ApiClient client, @PathVariable UUID id) {
    return view(
        outbound.find(client.tenantId(), id).orElseThrow(() -> new NotFoundException("Message")));
  }

  @GetMapping
  @Operation(summary = "Messages, newest first, filtered by status, channel and contact")
  MessagePage list(
      @AuthenticationPrincipal ApiClient client,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String channel,
      @RequestParam(required = false) UUID contactId,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "25") int size) {
    MessageStatus statusFilter = null;
    if (status != null && !status.isBlank()) {
      statusFilter =
          MessageStatus.fromCode(status)
              .orElseThrow(() ->
                  new InvalidInputException(
                      FieldProblem.of("status", "notification.status.invalid")));
    }
    Channel channelFilter = null;
    if (channel != null && !channel.isBlank()) {
      channelFilter =
          Channel.parse(channel)
              .orElseThrow(() ->
                  new InvalidInputException(
                      FieldProblem.of("channel", "notification.channel.invalid")));
    }
    Paging.check(page, size);
    PageOf<MessageView> found =
        outbound.search(
            client.tenantId(),
            new MessageFilter(statusFilter, channelFilter, contactId),
            page,
            size);
    return new MessagePage(
        found.items().stream().map(MessagesApiController::view).toList(),
        found.page(),
        found.size(),
        found.total());
  }

  private SendResponse view(Sent sent, Locale locale) {
    return new SendResponse(
        sent.contactId(),
        sent.messages().stream()
            .map(m ->
                new QueuedJson(
                    m.id(), m.channel().name().toLowerCase(), m.status().code(), m.segments()))
            .toList(),
        sent.skipped().stream()
            .map(s ->
                new SkippedJson(
                    s.channel().name().toLowerCase(),
                    s.reason().code(),
                    messages.getMessage("notification.skip." + s.reason().code(), null, locale)))
            .toList());
  }

  private static MessageJson view(MessageView m) {
    return new MessageJson(
        m.id(),
        m.contactId(),
        m.channel().name().toLowerCase(),
        m.maskedRecipient(),
        m.status().code(),
        m.statusReason(),
        m.errorCode(),
        m.encoding(),
        m.segments(),
        m.attempts(),
        m.createdAt(),
        m.sentAt(),
        m.nextAttemptAt(),
        m.attemptHistory() == null
            ? List.of()
            : m.attemptHistory().stream()
                .map(a ->
                    new AttemptJson(
                        a.number(),
                        a.node(),
                        a.gateway(),
                        a.startedAt(),
                        a.finishedAt(),
                        a.outcome(),
                        a.errorCode(),
                        a.errorMessage()))
                .toList());
  }
}

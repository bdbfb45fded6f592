package dev.herald.notification.rest;

import dev.herald.notification.SmsPreview;
import dev.herald.notification.SmsPreviews;
import dev.herald.tenant.ApiClient;
import dev.herald.tenant.FormErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Counts an SMS text the way sending will: encoding, characters, segments, the characters forcing
 * UCS-2, and the company's cap. An empty text or one over the cap is still answered 200, with the
 * counts and a {@code problem}: a preview is a question about a text, and the counts are the answer
 * a composer needs most when the text is too long. Only a request that cannot be read (no text,
 * malformed JSON) is an error.
 */
@RestController
@RequestMapping("/api/v1/sms")
@Tag(name = "SMS text", description = "Encoding and segment counts of SMS texts (GSM-7 or UCS-2)")
class SmsPreviewApiController {

  private final SmsPreviews previews;
  private final MessageSource messages;

  SmsPreviewApiController(SmsPreviews previews, MessageSource messages) {
    this.previews = previews;
    this.messages = messages;
  }

  @Schema(description = "A text to count")
  record PreviewRequest(
      @Schema(
              description = "The SMS text",
              requiredMode = Schema.RequiredMode.REQUIRED,
              example = "Hej Anders, vi kommer i morgen kl. 8–10 “som aftalt”.")
          String text,
      @Schema(
              description =
                  "Apply smart encoding (curly quotes, dashes, ellipsis, special spaces"
                      + " made GSM-7) when it helps; left out: the company's setting",
              requiredMode = Schema.RequiredMode.NOT_REQUIRED)
          Boolean smartEncoding) {}

  @Schema(description = "What the text costs and whether it may be sent")
  record PreviewResponse(
      @Schema(
              description = "GSM_7 or UCS_2",
              allowableValues = {"GSM_7", "UCS_2"})
          String encoding,
      @Schema(description = "Characters as a person counts them (Unicode code points)")
          int characters,
      @Schema(
              description =
                  "Encoded length: GSM-7 septets (extension characters count twice) or"
                      + " UCS-2 16-bit units")
          int units,
      @Schema(description = "SMS parts the text is sent as; 0 for an empty text") int segments,
      @Schema(description = "The characters of `text` that force UCS-2, each once, in order")
          List<String> unicodeCharacters,
      @Schema(description = "The text as it would be sent: smart-encoded when that was applied")
          String text,
      @Schema(description = "Smart encoding would make the text GSM-7 or save segments")
          boolean smartEncodingHelps,
      @Schema(description = "`text` is the smart-encoded form of the text sent in the request")
          boolean smartEncodingApplied,
      @Schema(description = "The most segments the company allows one message") int segmentCap,
      @Schema(description = "segments <= segmentCap") boolean withinCap,
      @Schema(
              description =
                  "Why the text cannot be sent (empty, or over the cap), in the request's"
                      + " language; null when it can be sent",
              nullable = true)
          String problem) {}

  @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Count an SMS text: encoding, characters, segments, and the company's cap",
      description =
          "Answers 200 with the counts for every readable text. An empty text or one that needs"
              + " more segments than the company's cap (F4) cannot be sent: the answer is still 200,"
              + " with `problem` saying why, and `withinCap` false when over the cap. `problem` is"
              + " null exactly when the text can be sent.")
  @ApiResponse(
      responseCode = "200",
      description = "The counts; `problem` says why it cannot be sent")
  @ApiResponse(
      responseCode = "400",
      description = "The body is not JSON of this shape",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(
      responseCode = "401",
      description = "No valid API key",
      content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(
      responseCode = "422",
      description = "`text` is missing or null; `errors` names the field",
      content = @Content(mediaType = "application/problem+json"))
  PreviewResponse preview(
      @AuthenticationPrincipal ApiClient client,
      @RequestBody PreviewRequest request,
      Locale locale) {
    SmsPreview p = previews.preview(client.tenantId(), request.text(), request.smartEncoding());
    String problem =
        p.problem("text").map(fp -> FormErrors.message(fp, messages, locale)).orElse(null);
    return new PreviewResponse(
        p.encoding(),
        p.characters(),
        p.units(),
        p.segments(),
        p.unicodeCharacters(),
        p.text(),
        p.smartEncodingHelps(),
        p.smartEncodingApplied(),
        p.segmentCap(),
        p.withinCap(),
        problem);
  }
}

package dev.herald.notification;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.smstext.SmsAnalysis;
import dev.herald.smstext.SmsTexts;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import org.springframework.stereotype.Service;

/**
 * Counts SMS texts with the company's settings (smart encoding, segment cap), for the live counter,
 * the preview API and every composer; and refuses a text over the cap before it is sent (F4).
 */
@Service
public class SmsPreviews {

  private final Companies companies;

  SmsPreviews(Companies companies) {
    this.companies = companies;
  }

  /**
   * The text as it would be sent; {@code smartEncoding} null means the company's setting. A null
   * text is refused at field {@code text}; an empty or too long one is answered with its counts.
   */
  public SmsPreview preview(TenantId tenant, String text, Boolean smartEncoding) {
    if (text == null) {
      throw new InvalidInputException(FieldProblem.of("text", "sms.text.required"));
    }
    return preview(company(tenant), text, smartEncoding);
  }

  /**
   * The text as it will be sent with the company's settings, or InvalidInputException at {@code
   * field} when it is missing, blank or needs more segments than the company's cap.
   */
  public SmsPreview requireSendable(TenantId tenant, String field, String text) {
    if (text == null) {
      throw new InvalidInputException(FieldProblem.of(field, "sms.text.required"));
    }
    SmsPreview preview = preview(company(tenant), text, null);
    preview
        .problem(field)
        .ifPresent(problem -> {
          throw new InvalidInputException(problem);
        });
    return preview;
  }

  static SmsPreview preview(Company company, String text, Boolean smartEncoding) {
    boolean smart = smartEncoding != null ? smartEncoding : company.smsSmartEncoding();
    SmsAnalysis analysis = SmsTexts.analyze(text, smart);
    return new SmsPreview(
        analysis.text(),
        analysis.encoding().name(),
        analysis.characters(),
        analysis.units(),
        analysis.segments(),
        analysis.unicodeCharacters(),
        analysis.smartEncodingHelps(),
        // analyze() returns the smart-encoded text exactly when asked to and it helps.
        smart && analysis.smartEncodingHelps(),
        company.smsSegmentCap());
  }

  private Company company(TenantId tenant) {
    return companies.require(tenant);
  }
}

package dev.herald.notification.web;

import dev.herald.notification.CommunicationKind;
import dev.herald.notification.MergeFields;
import dev.herald.notification.MessageTemplates;
import dev.herald.notification.SmsPreview;
import dev.herald.notification.SmsPreviews;
import dev.herald.shared.Language;
import dev.herald.smstext.SmsTexts;
import dev.herald.tenant.FormErrors;
import dev.herald.tenant.HeraldUser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The live counter under SMS text areas (F2): htmx posts the text on every pause in typing and
 * swaps in the counts, the characters forcing UCS-2 highlighted, and a smart-encoding button.
 */
@Controller
class SmsCounterController {

  private final SmsPreviews previews;
  private final MessageTemplates templates;
  private final MessageSource messages;

  SmsCounterController(SmsPreviews previews, MessageTemplates templates, MessageSource messages) {
    this.previews = previews;
    this.templates = templates;
    this.messages = messages;
  }

  /** A run of the text, highlighted when its characters force UCS-2. */
  record Piece(String text, boolean marked) {}

  @PostMapping("/sms/counter")
  String counter(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "") String text,
      @RequestParam(required = false) Boolean smartEncoding,
      @RequestParam(required = false) String templateKind,
      @RequestParam(required = false) String templateLanguage,
      Model model,
      Locale locale) {
    String counted = text;
    var kind = CommunicationKind.fromCode(templateKind);
    if (kind.isPresent()) {
      // A template: counted as it will go out, with sample values of the real lengths.
      Language language =
          Language.fromCode(templateLanguage)
              .orElse(Language.fromCode(locale.getLanguage()).orElse(Language.EN));
      counted =
          MergeFields.render(
              text, templates.sample(user.tenantId(), kind.get(), language), language);
      model.addAttribute("smsRendered", counted);
    }
    SmsPreview preview = previews.preview(user.tenantId(), counted, smartEncoding);
    model.addAttribute("sms", preview);
    model.addAttribute("smsPieces", pieces(preview.text(), preview.unicodeCharacters()));
    model.addAttribute("smsSource", text);
    model.addAttribute(
        "smsSmartText",
        preview.smartEncodingHelps() && !preview.smartEncodingApplied()
            ? SmsTexts.smartEncode(text)
            : null);
    model.addAttribute(
        "smsProblem",
        // An empty text is the normal state of a fresh text area, not a mistake to point out.
        text.isEmpty()
            ? null
            : preview
                .problem("text")
                .map(p -> FormErrors.message(p, messages, locale))
                .orElse(null));
    return "fragments/sms-counter :: smsCounterBody";
  }

  /** The text cut into runs, the characters forcing UCS-2 in runs of their own. */
  static List<Piece> pieces(String text, List<String> unicodeCharacters) {
    List<Piece> pieces = new ArrayList<>();
    if (unicodeCharacters.isEmpty()) {
      if (!text.isEmpty()) {
        pieces.add(new Piece(text, false));
      }
      return pieces;
    }
    Set<Integer> marked = new HashSet<>();
    unicodeCharacters.forEach(c -> marked.add(c.codePointAt(0)));
    StringBuilder run = new StringBuilder();
    boolean runMarked = false;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      i += Character.charCount(codePoint);
      boolean isMarked = marked.contains(codePoint);
      if (isMarked != runMarked && !run.isEmpty()) {
        pieces.add(new Piece(run.toString(), runMarked));
        run.setLength(0);
      }
      runMarked = isMarked;
      run.appendCodePoint(codePoint);
    }
    if (!run.isEmpty()) {
      pieces.add(new Piece(run.toString(), runMarked));
    }
    return pieces;
  }
}

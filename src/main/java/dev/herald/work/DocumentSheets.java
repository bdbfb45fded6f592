package dev.herald.work;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.herald.notification.MergeFields;
import dev.herald.shared.Language;
import dev.herald.shared.Money;
import dev.herald.tenant.Company;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;

/**
 * Words a document in a language (its page, the portal) and renders the same sheet to PDF with
 * DejaVu Sans embedded, so every currency sign and accent prints.
 */
@Component
public class DocumentSheets {

  private static final String FONT = "DejaVu Sans";

  private final MessageSource messages;
  private final SpringTemplateEngine templates;

  DocumentSheets(MessageSource messages, SpringTemplateEngine templates) {
    this.messages = messages;
    this.templates = templates;
  }

  public DocumentSheet sheet(
      Document doc, Company company, List<String> buyerDetails, Locale asked, LocalDate today) {
    Locale locale = regional(asked);
    DateTimeFormatter dates =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
    NumberFormat numbers = NumberFormat.getNumberInstance(locale);
    numbers.setMaximumFractionDigits(3);
    List<DocumentSheet.Row> rows = new ArrayList<>();
    for (Document.Line line : doc.lines()) {
      rows.add(
          new DocumentSheet.Row(
              line.description(),
              numbers.format(line.quantity()),
              money(line.unitPrice(), locale),
              numbers.format(line.taxRate()) + " %",
              money(line.net(), locale)));
    }
    List<String> seller = new ArrayList<>();
    seller.add(company.name());
    seller.add(Locale.of("", company.country()).getDisplayCountry(locale));
    List<String> buyer = new ArrayList<>();
    buyer.add(doc.contactName());
    buyer.addAll(buyerDetails);
    DocumentStatus shown = doc.shownStatus(today);
    return new DocumentSheet(
        msg("documents.kind." + doc.kind().code(), locale),
        doc.displayNumber(),
        dates.format(doc.issueDate()),
        dates.format(doc.dueDate()),
        msg("documents.dueDate." + doc.kind().code(), locale),
        msg("documents.status." + shown.code(), locale),
        shown.code(),
        locale.getLanguage(),
        seller,
        buyer,
        rows,
        money(doc.subtotal(), locale),
        money(doc.taxTotal(), locale),
        money(doc.total(), locale),
        doc.total().currency().getCurrencyCode(),
        doc.note());
  }

  /** The PDF of the sheet: a bare XHTML page around the same fragment the pages show. */
  public byte[] pdf(DocumentSheet sheet, Locale locale) {
    String html = templates.process("documents/pdf", new Context(locale, Map.of("sheet", sheet)));
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.useFont(
          () -> font("fonts/DejaVuSans.ttf"), FONT, 400, PdfRendererBuilder.FontStyle.NORMAL, true);
      builder.useFont(
          () -> font("fonts/DejaVuSans-Bold.ttf"),
          FONT,
          700,
          PdfRendererBuilder.FontStyle.NORMAL,
          true);
      builder.withHtmlContent(html, null);
      builder.toStream(out);
      builder.run();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PDF's file name: {@code INV-00042.pdf}. */
  public static String filename(Document doc) {
    return doc.displayNumber() + ".pdf";
  }

  /** An amount as people of the locale write it, with its currency. */
  public static String money(Money money, Locale asked) {
    Locale locale = regional(asked);
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(money.currency());
    int digits = Math.max(0, money.currency().getDefaultFractionDigits());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    return format.format(money.toDecimal());
  }

  /** The language's usual region: {@code en} writes amounts and dates as in the UK. */
  static Locale regional(Locale locale) {
    return Language.fromCode(locale.getLanguage()).map(MergeFields::locale).orElse(locale);
  }

  private static InputStream font(String path) {
    try {
      return new ClassPathResource(path).getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String msg(String key, Locale locale, Object... args) {
    return messages.getMessage(key, args, locale);
  }
}

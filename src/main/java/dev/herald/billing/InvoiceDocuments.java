package dev.herald.billing;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.herald.shared.Money;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.time.ZoneId;
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

/** Words an invoice in a language, and renders the page's own template fragment to PDF. */
@Component
public class InvoiceDocuments {

  static final String FONT = "DejaVu Sans";

  private final MessageSource messages;
  private final SpringTemplateEngine templates;

  InvoiceDocuments(MessageSource messages, SpringTemplateEngine templates) {
    this.messages = messages;
    this.templates = templates;
  }

  public InvoiceDocument document(Invoice invoice, Locale locale, ZoneId zone) {
    DateTimeFormatter dates =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);
    List<InvoiceDocument.Row> lines = new ArrayList<>();
    for (Invoice.Line line : invoice.lines()) {
      String period =
          line.periodStart() == null
              ? ""
              : msg(
                  "billing.line.period",
                  locale,
                  dates.format(line.periodStart()),
                  dates.format(line.periodEnd()));
      lines.add(
          new InvoiceDocument.Row(
              msg("billing.line." + line.kind(), locale, line.sms(), line.quantity(), period),
              String.valueOf(line.quantity()),
              money(line.unitPrice(), locale),
              money(line.amount(), locale)));
    }
    List<InvoiceDocument.Row> taxes = new ArrayList<>();
    NumberFormat percent = NumberFormat.getNumberInstance(locale);
    percent.setMaximumFractionDigits(4);
    for (Invoice.Tax tax : invoice.taxes()) {
      taxes.add(
          new InvoiceDocument.Row(
              msg("billing.invoice.tax", locale, tax.name(), percent.format(tax.rate())),
              "",
              "",
              money(tax.amount(), locale)));
    }
    return new InvoiceDocument(
        invoice.number(),
        msg("billing.invoice.status." + invoice.status(), locale),
        invoice.status(),
        dates.format(invoice.issuedAt().atZone(zone).toLocalDate()),
        locale.getLanguage(),
        party(invoice.seller(), locale),
        party(invoice.buyer(), locale),
        lines,
        taxes,
        money(invoice.subtotal(), locale),
        money(invoice.taxTotal(), locale),
        money(invoice.total(), locale),
        invoice.total().currency().getCurrencyCode(),
        invoice.reverseCharge() ? msg("billing.invoice.reverseCharge", locale) : null,
        paymentInstructions(invoice, locale));
  }

  /** The bank transfer's details printed on an invoice still to be paid by transfer. */
  private List<String> paymentInstructions(Invoice invoice, Locale locale) {
    Invoice.PaymentInstructions p = invoice.payment();
    if (p == null || !invoice.open()) {
      return List.of();
    }
    return List.of(
        msg(
            "orders.invoice.payBy",
            locale,
            money(invoice.total(), locale),
            DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
                .withLocale(locale)
                .format(p.payBy())),
        msg("orders.invoice.account", locale, p.accountHolder(), p.iban(), p.bic()),
        msg("orders.invoice.reference", locale, p.reference()));
  }

  /** The PDF: the invoice page's fragment in a bare XHTML page, with DejaVu Sans embedded. */
  public byte[] pdf(Invoice invoice, Locale locale, ZoneId zone) {
    InvoiceDocument doc = document(invoice, locale, zone);
    String html = templates.process("billing/invoice-pdf", new Context(locale, Map.of("doc", doc)));
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

  private static java.io.InputStream font(String path) {
    try {
      return new ClassPathResource(path).getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> party(Invoice.Party p, Locale locale) {
    List<String> rows = new ArrayList<>();
    rows.add(p.name());
    if (p.address() != null && !p.address().isBlank()) {
      rows.addAll(List.of(p.address().split("\\R")));
    }
    String country = Locale.of("", p.country()).getDisplayCountry(locale);
    rows.add(p.subdivision() == null ? country : p.subdivision() + ", " + country);
    if (p.taxNumbers() != null && !p.taxNumbers().isBlank()) {
      rows.add(msg("billing.invoice.taxNumbers", locale, p.taxNumbers()));
    }
    return rows;
  }

  /** An amount as people of the locale write it, with its currency. */
  public static String money(Money money, Locale locale) {
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(money.currency());
    format.setMinimumFractionDigits(Math.max(0, money.currency().getDefaultFractionDigits()));
    format.setMaximumFractionDigits(Math.max(0, money.currency().getDefaultFractionDigits()));
    return format.format(money.toDecimal());
  }

  private String msg(String key, Locale locale, Object... args) {
    return messages.getMessage(key, args, locale);
  }
}

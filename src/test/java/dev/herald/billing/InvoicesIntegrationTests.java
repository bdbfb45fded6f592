package dev.herald.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.shared.Money;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
class InvoicesIntegrationTests {

  @Autowired Invoices invoices;
  @Autowired BillingAccounts accounts;
  @Autowired Pricing pricing;
  @Autowired InvoiceDocuments documents;
  @Autowired TestCompanies companies;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;

  static final Currency CAD = Currency.getInstance("CAD");
  static final Currency EUR = Currency.getInstance("EUR");

  static Invoices.LineDraft block(Currency currency, long price) {
    return new Invoices.LineDraft(
        "block",
        1,
        500,
        new Money(price, currency),
        LocalDate.of(2026, 1, 15),
        LocalDate.of(2026, 2, 15));
  }

  long numberOf(Invoice invoice) {
    return jdbc.sql("SELECT number FROM billing_invoice WHERE id = :id")
        .param("id", invoice.id())
        .query(Long.class)
        .single();
  }

  @Test
  void a_quebec_buyer_pays_gst_and_qst_rounded_half_even_per_line() {
    TestCompany c = companies.aCompany("CA", "America/Toronto", "fr", "STANDARD", true, true);
    accounts.setBuyerDetails(
        c.id(), "Plannit Québec inc.", "1 rue Saint-Paul, Montréal", "CA-QC", "QST 1234567890");

    Invoice invoice = invoices.issue(c.id(), "first_block", CAD, List.of(block(CAD, 2500)));

    assertThat(invoice.taxes())
        .extracting(Invoice.Tax::name, t -> t.amount().minorUnits())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("GST", 125L),
            // 2500 x 9.975 % = 249.375 cents: 249
            org.assertj.core.groups.Tuple.tuple("QST", 249L));
    assertThat(invoice.total()).isEqualTo(new Money(2874, CAD));
    assertThat(invoice.status()).isEqualTo("open");
    assertThat(invoice.buyer().taxNumbers()).isEqualTo("QST 1234567890");
  }

  @Test
  void tax_is_rounded_per_line_half_even() {
    assertThat(Invoices.taxOf(10, BigDecimal.valueOf(25))).isEqualTo(2); // 2.5 -> 2
    assertThat(Invoices.taxOf(30, BigDecimal.valueOf(25))).isEqualTo(8); // 7.5 -> 8
    TestCompany c = companies.aDanishCompany(true, true);
    Currency dkk = Currency.getInstance("DKK");

    Invoice invoice =
        invoices.issue(c.id(), "monthly", dkk, List.of(block(dkk, 10), block(dkk, 10)));

    // Per line: 2 + 2 = 4, where rounding the subtotal once would give 5.
    assertThat(invoice.taxTotal()).isEqualTo(new Money(4, dkk));
    assertThat(invoice.taxes()).extracting(Invoice.Tax::name).containsExactly("Moms");
  }

  @Test
  void an_eu_business_buyer_of_another_country_gets_reverse_charge() {
    TestCompany c = companies.aCompany("FR", "Europe/Paris", "fr", "PRO", true, true);
    accounts.setBuyerDetails(c.id(), null, null, null, "FR12345678901");

    Invoice invoice = invoices.issue(c.id(), "monthly", EUR, List.of(block(EUR, 2500)));

    assertThat(invoice.reverseCharge()).isTrue();
    assertThat(invoice.taxes()).isEmpty();
    assertThat(invoice.total()).isEqualTo(new Money(2500, EUR));
    assertThat(Invoices.reverseCharge("DK", "DK", "DK123")).isFalse();
    assertThat(Invoices.reverseCharge("DK", "CA", "123")).isFalse();
    assertThat(Invoices.reverseCharge("DK", "FR", null)).isFalse();
  }

  @Test
  void a_rolled_back_invoice_leaves_no_gap_and_a_void_one_keeps_its_number() {
    TestCompany c = companies.aDanishCompany(true, true);
    Currency dkk = Currency.getInstance("DKK");
    Invoice first = invoices.issue(c.id(), "monthly", dkk, List.of(block(dkk, 100)));

    assertThatThrownBy(() ->
            tx.executeWithoutResult(s -> {
              invoices.issue(c.id(), "monthly", dkk, List.of(block(dkk, 100)));
              throw new IllegalStateException("the caller failed after the invoice");
            }))
        .isInstanceOf(IllegalStateException.class);
    Invoice second = invoices.issue(c.id(), "monthly", dkk, List.of(block(dkk, 100)));

    assertThat(numberOf(second)).isEqualTo(numberOf(first) + 1);
    assertThat(invoices.voidInvoice(c.id(), second.id())).isTrue();
    assertThat(invoices.find(c.id(), second.id()).orElseThrow())
        .satisfies(i -> {
          assertThat(i.status()).isEqualTo("void");
          assertThat(i.number()).isEqualTo(second.number());
        });
    assertThat(invoices.markPaid(c.id(), second.id())).as("a void invoice is not paid").isFalse();
    assertThat(invoices.markPaid(c.id(), first.id())).isTrue();
    assertThat(invoices.markPaid(c.id(), first.id())).as("paid once").isFalse();
  }

  @Test
  void another_company_never_finds_the_invoice() {
    TestCompany a = companies.aDanishCompany(true, true);
    TestCompany b = companies.aDanishCompany(true, true);
    Currency dkk = Currency.getInstance("DKK");
    Invoice invoice = invoices.issue(a.id(), "monthly", dkk, List.of(block(dkk, 100)));

    assertThat(invoices.find(b.id(), invoice.id())).isEmpty();
    assertThat(invoices.markPaid(b.id(), invoice.id())).isFalse();
  }

  @Test
  void the_pdf_holds_number_lines_taxes_totals_euro_and_soren_and_is_not_blank() throws Exception {
    // A region of its own, so this test's tax touches no other company.
    try {
      pricing.addTaxRate("FR-ZZ9", "TVA", "20");
    } catch (dev.herald.shared.InvalidInputException alreadyThere) {
      // a rerun in the same database
    }
    TestCompany c = companies.aCompany("FR", "Europe/Paris", "fr", "PRO", true, true);
    accounts.setBuyerDetails(
        c.id(), "Søren Ærø Café", "12 rue de la Paix\n75002 Paris", "FR-ZZ9", null);
    Invoice invoice =
        invoices.issue(
            c.id(),
            "monthly",
            EUR,
            List.of(
                block(EUR, 2500),
                new Invoices.LineDraft(
                    "overage",
                    2,
                    500,
                    new Money(2500, EUR),
                    LocalDate.of(2026, 1, 15),
                    LocalDate.of(2026, 2, 15))));

    byte[] pdf = documents.pdf(invoice, Locale.ENGLISH, ZoneId.of("Europe/Paris"));

    try (PDDocument document = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(document);
      assertThat(text)
          .contains(invoice.number())
          .contains("Søren Ærø Café")
          .contains("SMS block of 500 SMS")
          .contains("Extra blocks of 500 SMS used")
          .contains("TVA 20 %")
          .contains("€75.00") // subtotal
          .contains("€15.00") // TVA
          .contains("€90.00") // total
          .contains("Total (EUR)");
      BufferedImage page = new PDFRenderer(document).renderImageWithDPI(0, 50);
      int inked = 0;
      for (int x = 0; x < page.getWidth(); x++) {
        for (int y = 0; y < page.getHeight(); y++) {
          if ((page.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
            inked++;
          }
        }
      }
      assertThat(inked).as("inked pixels on page 1").isGreaterThan(1000);
    }
    // In French, with the accents of the language.
    byte[] french = documents.pdf(invoice, Locale.FRENCH, ZoneId.of("Europe/Paris"));
    try (PDDocument document = Loader.loadPDF(french)) {
      assertThat(new PDFTextStripper().getText(document))
          .contains("Désignation")
          .contains("Bloc de 500 SMS")
          .contains("€");
    }
  }
}

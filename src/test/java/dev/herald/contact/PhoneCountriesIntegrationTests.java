package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Language;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.support.WebSession;
import dev.herald.tenant.FormErrors;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;

/** Numbers typed for a country, errors that say how to fix them, shared numbers, sorting. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PhoneCountriesIntegrationTests {

  @LocalServerPort int port;
  @Autowired TestCompanies companies;
  @Autowired Contacts contacts;
  @Autowired MessageSource messages;

  static ContactInput withPhone(String name, PhoneInput phone) {
    return new ContactInput(name, "fr", null, List.of(), List.of(phone), true, false, true);
  }

  String problem(TestCompany company, PhoneInput phone, Locale locale) {
    try {
      contacts.create(company.id(), withPhone("Someone", phone));
    } catch (InvalidInputException e) {
      return FormErrors.message(e.problems().get(0), messages, locale);
    }
    throw new AssertionError("accepted: " + phone);
  }

  @Test
  void a_local_number_is_read_for_the_country_chosen_beside_it() {
    TestCompany company = companies.aDanishCompany(true, false);
    Contact emilie =
        contacts.create(
            company.id(), withPhone("Émilie", new PhoneInput("MOBILE", "06 12 34 56 78", "FR")));
    assertThat(emilie.phones().get(0).number()).isEqualTo("+33612345678");
    assertThat(PhoneNumbers.display("+33612345678")).isEqualTo("+33 6 12 34 56 78");
    Contact anders =
        contacts.create(
            company.id(), withPhone("Anders", new PhoneInput("MOBILE", "20 12 34 99", null)));
    assertThat(anders.phones().get(0).number())
        .as("the company's country")
        .isEqualTo("+4520123499");
  }

  @Test
  void errors_say_how_to_fix_the_number_in_the_readers_language() {
    TestCompany company = companies.aDanishCompany(true, false);
    assertThat(problem(company, new PhoneInput("MOBILE", "06 12 34 56 78", null), Locale.ENGLISH))
        .isEqualTo(
            "\"06 12 34 56 78\" is not a valid number in Denmark. If it is a number in France,"
                + " choose France as its country or add +33 for France.");
    assertThat(
            problem(
                company,
                new PhoneInput("MOBILE", "06 12 34 56 78", null),
                Locale.forLanguageTag("da")))
        .contains("Danmark", "Frankrig", "+33");
    assertThat(problem(company, new PhoneInput("MOBILE", "+33 6 12", null), Locale.ENGLISH))
        .as("a number with its country code is not told to add one")
        .isEqualTo(
            "+33 6 12 is not a valid phone number: check the digits after the country code.");
    assertThat(problem(company, new PhoneInput("MOBILE", "123", null), Locale.ENGLISH))
        .contains("in Denmark", "+45");
    assertThat(problem(company, new PhoneInput("MOBILE", "20 12 34 56", "XX"), Locale.ENGLISH))
        .isEqualTo("Choose the country of this number.");
  }

  @Test
  void a_number_another_contact_has_is_saved_with_a_warning() throws Exception {
    TestCompany company = companies.aDanishCompany(true, false);
    contacts.create(
        company.id(), withPhone("Anna Jensen", new PhoneInput("HOME", "33 12 34 56", null)));
    Contact peter =
        contacts.create(
            company.id(), withPhone("Peter Jensen", new PhoneInput("HOME", "+45 33 12 34 56")));
    assertThat(contacts.sharedNumbers(company.id(), peter.id()))
        .containsExactly(new Contacts.SharedNumber("+4533123456", "Anna Jensen"));

    WebSession owner = new WebSession();
    owner.logIn("http://localhost:" + port, company.ownerEmail(), TestCompanies.PASSWORD);
    assertThat(owner.get("http://localhost:" + port + "/contacts/" + peter.id()).body())
        .contains("+45 33 12 34 56 is also the number of Anna Jensen.");
  }

  @Test
  void contacts_sort_by_the_readers_language() {
    TestCompany company = companies.aDanishCompany(true, false);
    for (String name : List.of("Sofie", "Émilie", "Åse", "Zoë", "Anders")) {
      contacts.create(
          company.id(), withPhone(name, new PhoneInput("HOME", "33 12 34 5" + name.length())));
    }
    assertThat(names(company, Language.EN))
        .containsExactly("Anders", "Åse", "Émilie", "Sofie", "Zoë");
    assertThat(names(company, Language.DA))
        .as("Danish puts Å after Z")
        .containsExactly("Anders", "Émilie", "Sofie", "Zoë", "Åse");
  }

  List<String> names(TestCompany company, Language language) {
    return contacts.search(company.id(), "", 0, 25, language).items().stream()
        .map(Contact::name)
        .toList();
  }

  @Test
  void time_zones_are_a_short_grouped_list_with_the_current_first_and_a_search_for_the_rest()
      throws Exception {
    var company = companies.aDanishCompany(true, false);
    WebSession owner = new WebSession();
    owner.logIn("http://localhost:" + port, company.ownerEmail(), TestCompanies.PASSWORD);
    String page = owner.get("http://localhost:" + port + "/settings/company?lang=en").body();
    String select = page.substring(page.indexOf("<select id=\"timeZone\""));
    select = select.substring(0, select.indexOf("</select>"));
    long options = select.split("<option", -1).length - 1L;
    assertThat(options).as("options in the short list").isBetween(10L, 80L);
    assertThat(select).contains("<optgroup").doesNotContain("SystemV").doesNotContain("W-SU");
    // The company's zone opens the list, selected.
    String first = select.substring(select.indexOf("<option"));
    assertThat(first.substring(0, first.indexOf("</option>")))
        .contains("value=\"Europe/Copenhagen\"")
        .contains("selected");
    // The search offers real places beyond the short list, never raw aliases.
    String all = page.substring(page.indexOf("<datalist id=\"all-time-zones\""));
    all = all.substring(0, all.indexOf("</datalist>"));
    assertThat(all).contains("Asia/Kolkata").doesNotContain("SystemV/AST4");
  }
}

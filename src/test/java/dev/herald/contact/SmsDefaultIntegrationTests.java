package dev.herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.contact.ContactInput.PhoneInput;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** B3: the company's SMS toggle is a default for new contacts, and one action for existing ones. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SmsDefaultIntegrationTests {

  @Autowired TestCompanies testCompanies;
  @Autowired Companies companies;
  @Autowired Contacts contacts;
  @Autowired OptOuts optOuts;

  static ContactInput withMobile(String name, String number) {
    return new ContactInput(
        name, "da", null, List.of(), List.of(new PhoneInput("MOBILE", number)), null, null, null);
  }

  static ContactInput withoutPhone(String name) {
    return new ContactInput(name, "da", null, List.of("x@example.dk"), List.of(), null, null, null);
  }

  @Test
  void the_default_applies_to_new_contacts_only() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    Contact before = contacts.create(company.id(), withMobile("Before Toggle", "+4520120101"));
    assertThat(before.preferences().sms()).isFalse();

    companies.setSmsDefaultOn(company.id(), true);
    Contact after = contacts.create(company.id(), withMobile("After Toggle", "+4520120202"));
    Contact noPhone = contacts.create(company.id(), withoutPhone("No Phone"));

    assertThat(after.preferences().sms()).isTrue();
    assertThat(noPhone.preferences().sms()).isFalse();
    assertThat(contacts.find(company.id(), before.id()).orElseThrow().preferences().sms())
        .as("existing contacts keep their choice")
        .isFalse();
  }

  @Test
  void the_default_does_nothing_while_sms_is_locked() {
    TestCompany company = testCompanies.aDanishCompany(false, true);
    assertThat(
            contacts.create(company.id(), withMobile("Locked", "+4520120303")).preferences().sms())
        .isFalse();
  }

  @Test
  void an_explicit_choice_wins_over_the_default() {
    TestCompany company = testCompanies.aDanishCompany(true, true);
    ContactInput saysNo =
        new ContactInput(
            "Says No",
            "da",
            null,
            List.of(),
            List.of(new PhoneInput("MOBILE", "+4520120404")),
            null,
            false,
            null);
    assertThat(contacts.create(company.id(), saysNo).preferences().sms()).isFalse();
  }

  @Test
  void ticking_existing_contacts_counts_first_and_skips_opted_out_numbers() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    Contact plain = contacts.create(company.id(), withMobile("Plain", "+4520121111"));
    Contact optedOut = contacts.create(company.id(), withMobile("Opted Out", "+4520121212"));
    Contact noPhone = contacts.create(company.id(), withoutPhone("Email Only"));
    Contact landline =
        contacts.create(
            company.id(),
            new ContactInput(
                "Landline",
                "da",
                null,
                List.of(),
                List.of(new PhoneInput("HOME", "+4533123456")),
                null,
                null,
                null));
    optOuts.optOut(company.id(), "+4520121212", "test");

    assertThat(contacts.countSmsDefaultCandidates(company.id())).isEqualTo(1);
    assertThat(contacts.tickSmsForExistingContacts(company.id())).isEqualTo(1);

    assertThat(contacts.find(company.id(), plain.id()).orElseThrow().preferences().sms()).isTrue();
    Contact stillOut = contacts.find(company.id(), optedOut.id()).orElseThrow();
    assertThat(stillOut.preferences().sms()).isFalse();
    assertThat(stillOut.version()).as("not touched at all").isEqualTo(optedOut.version());
    assertThat(stillOut.phones().get(0).optedOut()).isTrue();
    assertThat(contacts.find(company.id(), noPhone.id()).orElseThrow().preferences().sms())
        .isFalse();
    assertThat(contacts.find(company.id(), landline.id()).orElseThrow().preferences().sms())
        .isFalse();
    assertThat(contacts.countSmsDefaultCandidates(company.id())).isZero();
  }

  @Test
  void a_new_contact_whose_only_mobile_opted_out_is_not_ticked() {
    TestCompany company = testCompanies.aDanishCompany(true, true);
    optOuts.optOut(company.id(), "+4520122121", "test");
    Contact contact = contacts.create(company.id(), withMobile("Known Opt Out", "+4520122121"));
    assertThat(contact.preferences().sms()).isFalse();
    assertThat(contact.textableMobile()).isEmpty();
  }

  @Test
  void the_bulk_action_stays_inside_its_company() {
    TestCompany a = testCompanies.aDanishCompany(true, false);
    TestCompany b = testCompanies.aDanishCompany(true, false);
    Contact inB = contacts.create(b.id(), withMobile("In B", "+4520123131"));
    contacts.create(a.id(), withMobile("In A", "+4520123131"));

    assertThat(contacts.tickSmsForExistingContacts(a.id())).isEqualTo(1);
    assertThat(contacts.find(b.id(), inB.id()).orElseThrow().preferences().sms()).isFalse();
  }

  @Test
  void opting_out_twice_logs_once_and_opting_in_lifts_it() {
    TestCompany company = testCompanies.aDanishCompany(true, false);
    assertThat(optOuts.optOut(company.id(), "+4520124141", "sms:STOP")).isTrue();
    assertThat(optOuts.optOut(company.id(), "+4520124141", "sms:STOP")).isFalse();
    assertThat(optOuts.isOptedOut(company.id(), "+4520124141")).isTrue();
    assertThat(optOuts.optIn(company.id(), "+4520124141", "sms:START")).isTrue();
    assertThat(optOuts.isOptedOut(company.id(), "+4520124141")).isFalse();
  }
}

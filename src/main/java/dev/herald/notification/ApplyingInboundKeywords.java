package dev.herald.notification;

import dev.herald.contact.Contact;
import dev.herald.contact.Contacts;
import dev.herald.contact.OptOuts;
import dev.herald.delivery.Channel;
import dev.herald.delivery.InboundSmsReceived;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.Language;
import dev.herald.shared.PhoneNumber;
import dev.herald.tenant.Companies;
import dev.herald.tenant.CompanyContacts;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Applies the keywords of inbound SMS (C5): STOP opts the sender's number out of the company that
 * heard it, START opts it back in, each written to the consent log with its source ({@code
 * sms:STOP}); contact's opt-out then puts the number on delivery's suppression list and cancels
 * what waits. HELP is logged too and answered with the company's name, phone and e-mail; START is
 * answered that SMS come again; a STOP that opted the number out gets one confirmation (the only
 * message a suppressed number gets, {@link OutboundKind#OPT_OUT_ANSWER}), a STOP to a number
 * already out none. Answers are free (no credit, so they go at zero) and in the contact's language
 * (else the company's). Once per inbound SMS and company, though the event may come twice.
 */
@Component
class ApplyingInboundKeywords {

  private static final Logger log = LoggerFactory.getLogger(ApplyingInboundKeywords.class);

  private final OptOuts optOuts;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Contacts contacts;
  private final Companies companies;
  private final CompanyContacts companyContacts;
  private final OutboundMessages outbound;
  private final MessageSource messages;

  ApplyingInboundKeywords(
      OptOuts optOuts,
      JdbcClient jdbc,
      Clock clock,
      Contacts contacts,
      Companies companies,
      CompanyContacts companyContacts,
      OutboundMessages outbound,
      MessageSource messages) {
    this.optOuts = optOuts;
    this.jdbc = jdbc;
    this.clock = clock;
    this.contacts = contacts;
    this.companies = companies;
    this.companyContacts = companyContacts;
    this.outbound = outbound;
    this.messages = messages;
  }

  @ApplicationModuleListener
  void on(InboundSmsReceived sms) {
    InboundKeywords.Keyword keyword = InboundKeywords.of(sms.text());
    if (keyword == InboundKeywords.Keyword.NONE) {
      return; // replies belong to conversation
    }
    if (!sms.from().matches("\\+[1-9][0-9]{6,14}")) {
      log.info(
          "Inbound SMS {}: {} from a sender that is no number; ignored", sms.inboundId(), keyword);
      return;
    }
    int first =
        jdbc.sql(
                """
                INSERT INTO inbound_keyword_applied (tenant_id, inbound_id, keyword, applied_at)
                VALUES (:t, :id, :k, :now) ON CONFLICT DO NOTHING
                """)
            .param("t", sms.tenant().value())
            .param("id", sms.inboundId())
            .param("k", keyword.name())
            .param("now", Timestamp.from(clock.instant()))
            .update();
    if (first == 0) {
      return;
    }
    String source = "sms:" + InboundKeywords.normalized(sms.text());
    boolean changed =
        switch (keyword) {
          case STOP -> optOuts.optOut(sms.tenant(), sms.from(), source);
          case START -> optOuts.optIn(sms.tenant(), sms.from(), source);
          case HELP -> {
            optOuts.logHelp(sms.tenant(), sms.from(), source);
            yield true;
          }
          case NONE -> false;
        };
    if (keyword == InboundKeywords.Keyword.HELP || changed) {
      answer(sms, keyword);
    }
    log.info(
        "Inbound {} from {} for company {}: {}",
        keyword,
        PhoneNumber.mask(sms.from()),
        sms.tenant(),
        changed ? "applied" : "nothing to change");
  }

  /**
   * The answer to HELP, START or STOP, free. To a number shared by several companies (the
   * operator's default sender), only the companies that know the sender as a contact answer, each
   * naming itself: the others never wrote to this person, and a stranger's STOP would otherwise
   * bring one answer per company on the number.
   */
  private void answer(InboundSmsReceived sms, InboundKeywords.Keyword keyword) {
    Optional<Contact> contact = contacts.findByNumber(sms.tenant(), sms.from());
    if (sms.shared() && contact.isEmpty()) {
      return;
    }
    Language language =
        contact.map(Contact::language).orElseGet(() -> companies.require(sms.tenant()).language());
    CompanyContacts.Details details = companyContacts.of(sms.tenant());
    String text =
        switch (keyword) {
          case HELP ->
              messages.getMessage(
                  "senders.help.answer",
                  new Object[] {
                    details.name(),
                    details.phone() == null ? "none" : details.phone(),
                    details.email() == null ? "none" : details.email()
                  },
                  language.locale());
          case STOP ->
              messages.getMessage(
                  "senders.stop.answer", new Object[] {details.name()}, language.locale());
          default ->
              messages.getMessage(
                  "senders.start.answer", new Object[] {details.name()}, language.locale());
        };
    OutboundDraft draft =
        new OutboundDraft(
            Channel.SMS,
            contact.map(Contact::id).orElse(null),
            sms.from(),
            null,
            text,
            true,
            keyword == InboundKeywords.Keyword.STOP
                ? OutboundKind.OPT_OUT_ANSWER
                : OutboundKind.KEYWORD_ANSWER,
            "keyword:" + sms.inboundId(),
            null);
    if (sms.to() != null && !sms.to().isBlank()) {
      // from the very number the customer wrote to (not the company's name, nor another of its
      // numbers), so that they can write back to it: START after STOP
      draft = draft.withReplyFrom(new OutboundDraft.ReplyFrom(sms.to(), sms.gateway()));
    }
    outbound.enqueue(sms.tenant(), List.of(draft));
  }
}

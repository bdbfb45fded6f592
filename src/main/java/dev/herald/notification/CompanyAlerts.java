package dev.herald.notification;

import dev.herald.delivery.Channel;
import dev.herald.delivery.OutboundDraft;
import dev.herald.delivery.OutboundKind;
import dev.herald.delivery.OutboundMessages;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import dev.herald.tenant.Users;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * E-mails to a company's own owners and admins (D6: quote approved or declined, payment overdue),
 * each in the user's language, queued in the caller's transaction; a dedupe key makes an alert go
 * out once whatever repeats it.
 */
@Service
public class CompanyAlerts {

  private final Users users;
  private final Companies companies;
  private final OutboundMessages outbound;
  private final MessageSource messages;

  CompanyAlerts(
      Users users, Companies companies, OutboundMessages outbound, MessageSource messages) {
    this.users = users;
    this.companies = companies;
    this.outbound = outbound;
    this.messages = messages;
  }

  /**
   * Mails {@code key.subject} and {@code key.body} of the bundles, with {@code args}, to every
   * enabled owner and admin; {@code dedupeKey} (per alert) keeps a repeat from mailing again.
   */
  @Transactional
  public int alertAdmins(TenantId tenant, String key, Object[] args, String dedupeKey) {
    Company company = companies.require(tenant);
    List<OutboundDraft> drafts =
        users.ofCompany(tenant).stream()
            .filter(u -> u.enabled() && u.role().managesCompany())
            .map(u -> {
              Locale locale = (u.language() != null ? u.language() : company.language()).locale();
              return new OutboundDraft(
                      Channel.EMAIL,
                      null,
                      u.email(),
                      messages.getMessage(key + ".subject", args, locale),
                      messages.getMessage(key + ".body", args, locale),
                      false)
                  .withKind(OutboundKind.ALERT)
                  .withDedupeKey(dedupeKey + ":" + u.id());
            })
            .toList();
    return outbound.enqueue(tenant, drafts).size();
  }
}

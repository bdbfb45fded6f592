package dev.herald.contact;

import dev.herald.shared.TenantId;
import dev.herald.tenant.CompanyCounts;
import org.springframework.stereotype.Component;

/** How many contacts a company has, for the operator's company page. */
@Component
class ContactCounts implements CompanyCounts {

  private final Contacts contacts;

  ContactCounts(Contacts contacts) {
    this.contacts = contacts;
  }

  @Override
  public String key() {
    return "contacts";
  }

  @Override
  public long count(TenantId company) {
    return contacts.count(company);
  }
}

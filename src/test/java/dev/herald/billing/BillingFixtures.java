package dev.herald.billing;

import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import java.util.UUID;

/** Companies on a billing model, for billing tests. */
final class BillingFixtures {

  private BillingFixtures() {}

  static TestCompany aCompanyOnPacks(
      TestCompanies companies, BillingAccounts accounts, Credits credits, long credit) {
    TestCompany c = companies.aDanishCompany(true, true);
    accounts.choose(c.id(), "packs", "DKK");
    if (credit > 0) {
      credits.grant(c.id(), credit, "fixture-" + UUID.randomUUID(), "test credit");
    }
    return c;
  }

  static TestCompany aCompanyOnBlocks(TestCompanies companies, BillingAccounts accounts) {
    TestCompany c = companies.aCompany("CA", "America/Toronto", "fr", "STANDARD", true, true);
    accounts.choose(c.id(), "blocks", "CAD");
    return c;
  }
}

package dev.herald.tenant.rest;

import dev.herald.tenant.ApiClient;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The company an API key belongs to, with its settings. */
@RestController
@RequestMapping("/api/v1/company")
class CompanyApiController {

  private final Companies companies;

  CompanyApiController(Companies companies) {
    this.companies = companies;
  }

  record CompanyView(
      String id,
      String name,
      String plan,
      String country,
      String timeZone,
      String language,
      String smsSenderName,
      boolean smsAvailable) {}

  @GetMapping
  CompanyView company(@AuthenticationPrincipal ApiClient client) {
    Company c = companies.find(client.tenantId()).orElseThrow();
    return new CompanyView(
        c.id().toString(),
        c.name(),
        c.plan().name(),
        c.country(),
        c.timeZone().getId(),
        c.language().code(),
        c.smsSenderName(),
        c.smsAvailable());
  }
}

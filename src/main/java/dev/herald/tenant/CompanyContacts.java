package dev.herald.tenant;

import dev.herald.shared.EmailAddresses;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * How a company's customers reach it (the answer to HELP): a phone and an e-mail; with no e-mail
 * set, its owner's.
 */
@Service
public class CompanyContacts {

  /** A company's name, phone and e-mail; phone or email may be null. */
  public record Details(String name, String phone, String email) {}

  private final JdbcClient jdbc;
  private final Companies companies;
  private final Users users;

  CompanyContacts(JdbcClient jdbc, Companies companies, Users users) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.users = users;
  }

  public Details of(TenantId tenant) {
    Company company = companies.require(tenant);
    Optional<String[]> row =
        jdbc.sql("SELECT phone, email FROM company_contact WHERE tenant_id = :t")
            .param("t", tenant.value())
            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
            .optional();
    String phone = row.map(r -> r[0]).orElse(null);
    String email =
        row.map(r -> r[1])
            .orElseGet(() ->
                users.ofCompany(tenant).stream()
                    .filter(u -> u.enabled() && u.role() == Role.OWNER)
                    .map(HeraldUser::email)
                    .findFirst()
                    .orElse(null));
    return new Details(company.name(), phone, email);
  }

  /** Sets the phone and e-mail (blank: none), refusing an e-mail that is not one. */
  @Transactional
  public void set(TenantId tenant, String phone, String email) {
    List<FieldProblem> problems = new ArrayList<>();
    String p = phone == null || phone.isBlank() ? null : phone.strip();
    String e = email == null || email.isBlank() ? null : email.strip();
    if (p != null && (p.length() > 40 || !p.matches("[+0-9 ()./-]+"))) {
      problems.add(FieldProblem.of("contactPhone", "senders.contactPhone.invalid"));
    }
    if (e != null && !EmailAddresses.isValid(e)) {
      problems.add(FieldProblem.of("contactEmail", "email.invalid", e));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    jdbc.sql(
            """
            INSERT INTO company_contact (tenant_id, phone, email) VALUES (:t, :p, :e)
            ON CONFLICT (tenant_id) DO UPDATE SET phone = EXCLUDED.phone, email = EXCLUDED.email
            """)
        .param("t", tenant.value())
        .param("p", p, java.sql.Types.VARCHAR)
        .param("e", e, java.sql.Types.VARCHAR)
        .update();
  }
}

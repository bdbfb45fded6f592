package dev.herald.tenant;

import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The operator creates a company together with its first owner: both or neither. */
@Service
public class Onboarding {

  private final Companies companies;
  private final Users users;

  Onboarding(Companies companies, Users users) {
    this.companies = companies;
    this.users = users;
  }

  /** Problems of the owner are reported at {@code owner.<field>}. */
  @Transactional
  public Company onboard(CompanySettings settings, String plan, NewUser owner) {
    NewUser asOwner =
        new NewUser(owner.email(), owner.displayName(), Role.OWNER.name(), owner.password());
    List<FieldProblem> problems = new ArrayList<>();
    Plan checkedPlan = planOf(plan);
    if (checkedPlan == null) {
      problems.add(FieldProblem.of("plan", "company.plan.invalid"));
    }
    try {
      CompanyRules.check(settings);
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
    }
    List<FieldProblem> ownerProblems = new ArrayList<>(Users.problemsOf(asOwner));
    // A taken e-mail is said with the other problems, not in a second round.
    if (ownerProblems.stream().noneMatch(p -> p.field().equals("email"))
        && users.findByEmail(owner.email()).isPresent()) {
      ownerProblems.add(FieldProblem.of("email", "user.email.taken", owner.email().strip()));
    }
    problems.addAll(ownerProblems(ownerProblems));
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Company company = companies.create(settings, checkedPlan);
    try {
      users.add(company.id(), asOwner);
    } catch (InvalidInputException e) {
      // The e-mail is taken: the company goes with the rollback.
      throw new InvalidInputException(ownerProblems(e.problems()));
    }
    return company;
  }

  private static List<FieldProblem> ownerProblems(List<FieldProblem> problems) {
    return problems.stream()
        .map(p -> new FieldProblem("owner." + p.field(), p.code(), p.args()))
        .toList();
  }

  static Plan planOf(String plan) {
    try {
      return Plan.valueOf(String.valueOf(plan).strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

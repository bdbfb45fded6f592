package dev.herald.operator.web;

import dev.herald.tenant.Companies;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** The operator console: every company with its plan and SMS state (I1). */
@Controller
@RequestMapping("/operator")
class OperatorConsoleController {

  private final Companies companies;

  OperatorConsoleController(Companies companies) {
    this.companies = companies;
  }

  @GetMapping
  String companies(Model model) {
    model.addAttribute("companies", companies.all());
    return "operator/companies";
  }
}

package dev.herald.operator.web;

import dev.herald.billing.SmsBilling;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The billing columns of the operator's companies page (model, balance or usage). */
@ControllerAdvice(assignableTypes = OperatorConsoleController.class)
class OperatorBillingColumns {

  private final SmsBilling billing;

  OperatorBillingColumns(SmsBilling billing) {
    this.billing = billing;
  }

  @ModelAttribute
  void billing(Model model) {
    model.addAttribute("billingOf", billing.overview());
  }
}

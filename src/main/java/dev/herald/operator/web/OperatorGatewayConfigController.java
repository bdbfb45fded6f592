package dev.herald.operator.web;

import dev.herald.delivery.GatewayConsole;
import dev.herald.delivery.GatewayConsole.ConfiguredGateway;
import dev.herald.delivery.GatewayConsole.GatewayInput;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.StaleEditException;
import dev.herald.tenant.FormErrors;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator adds, changes, disables and removes SMPP, Kannel and HTTP-provider gateways (issue
 * 12, configuration). Secrets are never shown again: the form says whether each is set, and a field
 * typed in replaces it. Environment-configured gateways are shown read-only.
 */
@Controller
@RequestMapping("/operator/gateways")
class OperatorGatewayConfigController {

  private final GatewayConsole gateways;
  private final MessageSource messages;

  OperatorGatewayConfigController(GatewayConsole gateways, MessageSource messages) {
    this.gateways = gateways;
    this.messages = messages;
  }

  @GetMapping("/new")
  String newGateway(@RequestParam(defaultValue = "") String kind, Model model) {
    if (!GatewayConsole.KINDS.contains(kind)) {
      return "redirect:/operator/gateways";
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    return form(model, kind, null, "", defaults, "", List.of());
  }

  @PostMapping("/new")
  String add(
      @RequestParam MultiValueMap<String, String> params,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    String kind = first(params, "kind");
    if (!GatewayConsole.KINDS.contains(kind)) {
      return "redirect:/operator/gateways";
    }
    String name = first(params, "name");
    try {
      gateways.saveGateway(input(name, kind, params, null));
    } catch (InvalidInputException e) {
      response.setStatus(422);
      model.addAttribute("errors", FormErrors.of(e.problems(), messages, locale));
      return form(
          model, kind, null, name, typed(kind, params), first(params, "max-per-second"), List.of());
    }
    redirect.addFlashAttribute("notice", "gateways.added");
    return "redirect:/operator/gateways";
  }

  @GetMapping("/config/{name}")
  String edit(@PathVariable String name, Model model) {
    ConfiguredGateway g =
        gateways.configuredGateway(name).orElseThrow(() -> new NotFoundException("gateway"));
    if (g.fromEnvironment() || g.state().equals("removing")) {
      model.addAttribute("gateway", g);
      return "operator/gateway-view";
    }
    return form(
        model,
        g.kind(),
        g,
        g.name(),
        new LinkedHashMap<>(g.settings()),
        rate(g.maxPerSecond()),
        List.copyOf(g.secretsSet()));
  }

  @PostMapping("/config/{name}")
  String change(
      @PathVariable String name,
      @RequestParam MultiValueMap<String, String> params,
      Model model,
      Locale locale,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    ConfiguredGateway g =
        gateways
            .configuredGateway(name)
            .filter(c -> !c.fromEnvironment())
            .orElseThrow(() -> new NotFoundException("gateway"));
    Integer version;
    try {
      version = Integer.valueOf(first(params, "version"));
    } catch (NumberFormatException e) {
      version = -1;
    }
    try {
      gateways.saveGateway(input(name, g.kind(), params, version));
    } catch (InvalidInputException | StaleEditException e) {
      response.setStatus(e instanceof StaleEditException ? 409 : 422);
      model.addAttribute(
          "errors",
          e instanceof InvalidInputException invalid
              ? FormErrors.of(invalid.problems(), messages, locale)
              : FormErrors.of(List.of(FieldProblem.of("form", "edit.stale")), messages, locale));
      ConfiguredGateway now = gateways.configuredGateway(name).orElse(g);
      return form(
          model,
          g.kind(),
          e instanceof StaleEditException ? now : g,
          name,
          typed(g.kind(), params),
          first(params, "max-per-second"),
          List.copyOf(now.secretsSet()));
    }
    redirect.addFlashAttribute("notice", "gateways.saved");
    return "redirect:/operator/gateways";
  }

  @PostMapping("/config/{name}/enable")
  String enable(@PathVariable String name, RedirectAttributes redirect) {
    boolean changed = gateways.setGatewayEnabled(name, true);
    redirect.addFlashAttribute("notice", changed ? "gateways.enabled" : "gateways.unchanged");
    return "redirect:/operator/gateways";
  }

  /** Disabling stops new messages going by it: asked first. */
  @GetMapping("/config/{name}/disable")
  String confirmDisable(@PathVariable String name, Model model, Locale locale) {
    gateways
        .configuredGateway(name)
        .filter(c -> !c.fromEnvironment())
        .orElseThrow(() -> new NotFoundException("gateway"));
    model.addAttribute("title", messages.getMessage("gateways.disable", null, locale));
    model.addAttribute(
        "text", messages.getMessage("gateways.disable.confirm", new Object[] {name}, locale));
    model.addAttribute("action", "/operator/gateways/config/" + name + "/disable");
    model.addAttribute("fields", Map.of());
    model.addAttribute("cancel", "/operator/gateways");
    return "operator/billing/confirm";
  }

  @PostMapping("/config/{name}/disable")
  String disable(@PathVariable String name, RedirectAttributes redirect) {
    boolean changed = gateways.setGatewayEnabled(name, false);
    redirect.addFlashAttribute("notice", changed ? "gateways.disabled" : "gateways.unchanged");
    return "redirect:/operator/gateways";
  }

  /** Removing says how many routes name the gateway and how many messages it may still have. */
  @GetMapping("/config/{name}/remove")
  String confirmRemove(@PathVariable String name, Model model, Locale locale) {
    GatewayConsole.RemovalImpact impact =
        gateways.removalImpact(name).orElseThrow(() -> new NotFoundException("gateway"));
    model.addAttribute("title", messages.getMessage("gateways.remove", null, locale));
    model.addAttribute(
        "text",
        messages.getMessage(
                "gateways.remove.confirm",
                new Object[] {name, impact.routes(), impact.unsettledMessages()},
                locale)
            + " "
            + messages.getMessage(
                "gateways.remove.receipts",
                new Object[] {
                  impact.awaitingReceipts(),
                  OperatorGatewaysController.latest(impact.receiptsUntil(), locale)
                },
                locale));
    model.addAttribute("action", "/operator/gateways/config/" + name + "/remove");
    model.addAttribute("fields", Map.of());
    model.addAttribute("cancel", "/operator/gateways");
    return "operator/billing/confirm";
  }

  @PostMapping("/config/{name}/remove")
  String remove(@PathVariable String name, RedirectAttributes redirect) {
    boolean removed = gateways.removeGateway(name);
    redirect.addFlashAttribute("notice", removed ? "gateways.removed" : "gateways.unchanged");
    return "redirect:/operator/gateways";
  }

  private String form(
      Model model,
      String kind,
      ConfiguredGateway editing,
      String name,
      Map<String, String> values,
      String maxPerSecond,
      List<String> secretsSet) {
    model.addAttribute("kind", kind);
    model.addAttribute("editing", editing);
    model.addAttribute("name", name);
    model.addAttribute("settingKeys", GatewayConsole.settingKeys(kind));
    model.addAttribute("secretKeys", GatewayConsole.secretKeys(kind));
    model.addAttribute("values", values);
    model.addAttribute("maxPerSecond", maxPerSecond);
    model.addAttribute("secretsSet", secretsSet);
    model.addAttribute("secretsAvailable", gateways.secretsAvailable());
    if (!model.containsAttribute("errors")) {
      model.addAttribute("errors", Map.of());
    }
    return "operator/gateway-form";
  }

  private static GatewayInput input(
      String name, String kind, MultiValueMap<String, String> params, Integer version) {
    Map<String, String> secrets = new LinkedHashMap<>();
    for (String key : GatewayConsole.secretKeys(kind)) {
      secrets.put(key, params.getFirst("secret." + key));
    }
    return new GatewayInput(
        name, kind, typed(kind, params), secrets, first(params, "max-per-second"), version);
  }

  /** What was typed into the settings (never the secrets), to show the form again. */
  private static Map<String, String> typed(String kind, MultiValueMap<String, String> params) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String key : GatewayConsole.settingKeys(kind)) {
      settings.put(key, first(params, key));
    }
    return settings;
  }

  private static String first(MultiValueMap<String, String> params, String key) {
    String v = params.getFirst(key);
    return v == null ? "" : v;
  }

  private static String rate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }
}

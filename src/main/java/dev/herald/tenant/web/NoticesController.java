package dev.herald.tenant.web;

import dev.herald.tenant.HeraldUser;
import dev.herald.tenant.Notices;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The company's in-app notices: the list, opening one (it becomes read), marking all read. */
@Controller
class NoticesController {

  private static final int PAGE_SIZE = 25;

  private final Notices notices;

  NoticesController(Notices notices) {
    this.notices = notices;
  }

  @GetMapping("/notices")
  String list(
      @AuthenticationPrincipal HeraldUser user,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    model.addAttribute("result", notices.of(user.tenantId(), Math.max(0, page), PAGE_SIZE));
    return "notices/list";
  }

  /** Marks the notice read and goes where it points (the list when it points nowhere). */
  @PostMapping("/notices/{id}/read")
  String read(@AuthenticationPrincipal HeraldUser user, @PathVariable UUID id) {
    notices.markRead(user.tenantId(), id);
    String link =
        notices
            .linkOf(user.tenantId(), id)
            .filter(l -> l.startsWith("/") && !l.startsWith("//"))
            .orElse("/notices");
    return "redirect:" + link;
  }

  @PostMapping("/notices/read-all")
  String readAll(@AuthenticationPrincipal HeraldUser user) {
    notices.markAllRead(user.tenantId());
    return "redirect:/notices";
  }
}

// The live SMS counter (templates/fragments/sms-counter.html): sends only the watched text (and the
// smart-encoding switch, if one is named), and lets "use smart encoding" rewrite the text area.
(function () {
  if (window.heraldSmsCounter) {
    return; // the fragment may be on a page more than once
  }
  window.heraldSmsCounter = true;

  document.addEventListener("htmx:configRequest", function (event) {
    var counter = event.detail.elt;
    if (!counter.matches || !counter.matches("[data-sms-counter-for]")) {
      return;
    }
    var field = document.getElementById(counter.dataset.smsCounterFor);
    // Replaces what htmx gathered (the whole form around the text area, for a POST).
    var parameters = { text: field ? field.value : "" };
    var smartSwitch = counter.dataset.smsSmartSwitch && document.getElementById(counter.dataset.smsSmartSwitch);
    if (smartSwitch) {
      parameters.smartEncoding = smartSwitch.checked ? "true" : "false";
    }
    // A template (issue 11): merge fields are filled with sample values before counting.
    if (counter.dataset.smsTemplateKind) {
      parameters.templateKind = counter.dataset.smsTemplateKind;
      parameters.templateLanguage = counter.dataset.smsTemplateLanguage || "";
    }
    event.detail.parameters = parameters;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-sms-smart-text]");
    if (!button) {
      return;
    }
    var counter = button.closest("[data-sms-counter-for]");
    var field = counter && document.getElementById(counter.dataset.smsCounterFor);
    if (!field) {
      return;
    }
    // Typed on since the counter answered: that text has not been counted, so count it again first.
    if (field.value === button.dataset.smsSource) {
      field.value = button.dataset.smsSmartText;
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  });
})();

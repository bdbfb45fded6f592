// Sends the CSRF token with every htmx request (forms carry it as a hidden field already).
document.addEventListener("htmx:configRequest", function (event) {
  var header = document.querySelector('meta[name="csrf-header"]');
  var token = document.querySelector('meta[name="csrf-token"]');
  if (header && token) {
    event.detail.headers[header.content] = token.content;
  }
});

// Send stays off while the counter says the text cannot go (over the cap, or empty); a button
// the server rendered off (no channel open) stays off whatever the counter says.
document.addEventListener("htmx:afterSwap", function (event) {
  var counter = event.detail.target;
  if (!counter.matches || !counter.matches("[data-sms-counter-for]")) {
    return;
  }
  var form = counter.closest("form");
  var button = form && form.querySelector(".send-button");
  if (!button || button.dataset.noChannel === "true") {
    return;
  }
  var summary = counter.querySelector("[data-sms-sendable]");
  var sendable = !summary || summary.dataset.smsSendable === "true";
  var text = document.getElementById(counter.dataset.smsCounterFor);
  var blank = !text || text.value.trim() === "";
  button.disabled = !sendable;
  var reason = form.querySelector(".send-off-reason");
  if (reason) {
    reason.textContent = sendable || blank ? "" : reason.dataset.overCap;
  }
});

// Copy buttons: <button data-copy="#id"> copies the text of that element.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    var done = button.dataset.copied;
    if (done) {
      button.textContent = done;
    }
  });
});

// Forms and buttons with data-confirm ask first (delete, lock, plan change).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var text = form.dataset && form.dataset.confirm;
  if (text && !window.confirm(text)) {
    event.preventDefault();
  }
}, true);

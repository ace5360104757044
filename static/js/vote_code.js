// The voting page: a slip's QR code opens /evaluations/vote/<eval>/#code=…
// The fragment never reaches the server (no request line, no access log, no
// Referer). This script puts the code into the form, takes the fragment off
// the address bar and the history, and opens the ballot by posting the form:
// the code travels in the POST body only. A file, not an inline script: the
// Content-Security-Policy allows scripts from this site only.
(function () {
  var match = /(?:^#|&)code=([0-9A-Za-z-]{1,30})(?:&|$)/.exec(window.location.hash);
  if (!match) { return; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var form = document.getElementById("vote-code-form");
  if (!form) { return; }
  var input = form.querySelector("input[name=code]");
  var button = form.querySelector("button[name=action]");
  // Only an empty form: never overwrite what a refusal page shows back.
  if (!input || input.value) { return; }
  input.value = match[1];
  if (form.requestSubmit && button) { form.requestSubmit(button); } else if (button) { button.click(); }
})();

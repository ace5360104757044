// Print job page: follow the job's progress without reloading (the page
// refreshes itself through <noscript> when scripts are off). A file, not an
// inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  var tag = document.getElementById("print-job-poll");
  if (!tag) { return; }
  var url = tag.getAttribute("data-status-url");
  function poll() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      var bar = document.getElementById("job-bar");
      bar.max = s.total;
      bar.value = s.done;
      bar.textContent = s.percent + "%";
      document.getElementById("job-count").textContent = s.done + " / " + s.total;
      document.getElementById("job-percent").textContent = s.percent;
      document.getElementById("job-status").textContent = s.status_label;
      // A new state to explain (failed, stopped, being retried): the page says it.
      if (s.status === "done" || s.status === "failed" || s.error || s.notice !== (tag.getAttribute("data-notice") || "")) { window.location.reload(); } else { setTimeout(poll, 1500); }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();

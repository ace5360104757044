/* Running totals of a scoring sheet: per section and overall, as the
   server computes them (workflows/scoring/sheet.py): scored and bonus
   items add, deduction items subtract, veto items do not count. */
(function () {
  "use strict";
  function parse(value) {
    var v = String(value || "").trim().replace("，", ".").replace(",", ".");
    if (!v) { return 0; }
    var n = Number(v);
    return isFinite(n) ? n : 0;
  }
  function round(n) { return Math.round(n * 100) / 100; }
  function recompute() {
    var sections = {}, total = 0;
    document.querySelectorAll("input.score").forEach(function (input) {
      var value = parse(input.value), max = Number(input.dataset.max || 0);
      input.classList.toggle("over-max", value > max);
      if (input.dataset.kind === "deduction") { value = -value; }
      sections[input.dataset.section] = (sections[input.dataset.section] || 0) + value;
      total += value;
    });
    Object.keys(sections).forEach(function (id) {
      var out = document.querySelector('[data-section-total="' + id + '"]');
      if (out) { out.textContent = round(sections[id]); }
    });
    var grand = document.getElementById("grand-total");
    if (grand) { grand.textContent = round(total); }
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input.score")) { recompute(); }
  });
  recompute();
})();

(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var $ = function (sel, el) { return (el || document).querySelector(sel); };
  var $$ = function (sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); };

  var findings = $$("article.finding");
  var sections = $$("section.park");
  var parkRows = $$("#park-table tbody tr");
  var ruleInput = $("#filter-rule");
  var parkInput = $("#filter-park");
  var resultSelect = $("#filter-result");
  var counter = $("#filter-count");

  function severities() {
    var on = {};
    $$("input[data-filter-severity]").forEach(function (box) { on[box.value] = box.checked; });
    return on;
  }

  // Findings: severity, waived/baselined and rule; parks: text and result.
  function apply() {
    var on = severities();
    var rule = (ruleInput && ruleInput.value || "").trim().toUpperCase();
    var park = (parkInput && parkInput.value || "").trim().toLowerCase();
    var result = resultSelect ? resultSelect.value : "";
    var shown = 0;
    var parkShown = function (el) {
      var text = el.getAttribute("data-search") || "";
      return (!park || text.indexOf(park) >= 0) &&
        (!result || el.getAttribute("data-result") === result);
    };
    sections.forEach(function (s) { s.hidden = !parkShown(s); });
    parkRows.forEach(function (r) { r.hidden = !parkShown(r); });
    findings.forEach(function (f) {
      var counted = f.getAttribute("data-status") === "counted";
      var ok = (counted ? on[f.getAttribute("data-severity")] : on.suppressed) &&
        (!rule || f.getAttribute("data-rule").toUpperCase().indexOf(rule) >= 0);
      f.hidden = !ok;
      if (ok && !f.closest("section.park").hidden) { shown += 1; }
    });
    // A severity heading with nothing shown under it is hidden too.
    $$("h3.sev-heading").forEach(function (h) {
      var el = h.nextElementSibling, any = false;
      while (el && el.tagName === "ARTICLE") { if (!el.hidden) { any = true; } el = el.nextElementSibling; }
      h.hidden = !any;
    });
    if (counter) { counter.textContent = shown + " / " + findings.length; }
  }

  $$("#filters input, #filters select").forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  var form = $("#filters");
  if (form) {
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
  }
  $$("a.rule-link").forEach(function (a) {
    a.addEventListener("click", function () {
      if (ruleInput) { ruleInput.value = a.getAttribute("data-rule"); apply(); }
    });
  });

  // The rule table's own filter.
  var ruleFilter = $("#rule-table-filter");
  if (ruleFilter) {
    ruleFilter.addEventListener("input", function () {
      var q = ruleFilter.value.trim().toLowerCase();
      $$("#rule-table tbody tr").forEach(function (r) {
        r.hidden = q !== "" && (r.getAttribute("data-search") || "").indexOf(q) < 0;
      });
    });
  }

  // Sorting: click a header; numbers by data-value, text in Chinese collation.
  var collator = typeof Intl !== "undefined" ? new Intl.Collator("zh-CN", { numeric: true }) : null;
  $$("table.sortable").forEach(function (table) {
    var heads = $$("thead th", table);
    heads.forEach(function (th, col) {
      th.setAttribute("tabindex", "0");
      var sort = function () {
        var numeric = th.getAttribute("data-sort") === "num";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[col];
          if (!cell) { return ""; }
          var v = cell.getAttribute("data-value");
          return v !== null ? v : cell.textContent.trim();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (numeric) {
            var nx = x === "" ? -Infinity : Number(x), ny = y === "" ? -Infinity : Number(y);
            return dir * ((nx > ny) - (nx < ny));
          }
          return dir * (collator ? collator.compare(x, y) : (x > y) - (x < y));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });

  // Printing one park: only its section goes to the printer.
  $$("button.print-one").forEach(function (button) {
    button.addEventListener("click", function () {
      var section = document.getElementById(button.getAttribute("data-section"));
      if (!section) { return; }
      section.classList.add("printing");
      document.body.classList.add("print-one");
      var done = function () {
        section.classList.remove("printing");
        document.body.classList.remove("print-one");
        window.removeEventListener("afterprint", done);
      };
      window.addEventListener("afterprint", done);
      window.print();
    });
  });

  // Everything is shown at first: nothing to filter until a control changes.
  if (counter) { counter.textContent = findings.length + " / " + findings.length; }
})();

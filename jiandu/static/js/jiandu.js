// Scripts come only from static files (Content-Security-Policy: no inline script, no
// onclick=""), so pages ask for behaviour with data- attributes handled here.

// Confirm before anything that cannot be undone: <form data-confirm="确定…？">, or on the
// one button of a form that needs it: <button data-confirm="确定…？">.
document.addEventListener("submit", function (e) {
  var button = e.submitter;
  var msg = (button && button.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); }
}, true);

// A filter that applies as soon as it changes: <select data-autosubmit>.
document.addEventListener("change", function (e) {
  if (e.target.matches && e.target.matches("[data-autosubmit]") && e.target.form) {
    e.target.form.submit();
  }
});

// Show a block only while a radio choice holds a value:
// <div data-show-if="identity=named"> (the radio named "identity" in the same form or
// .jd-answer box), or data-hide-if="answer-3=no".
function jdToggles(root) {
  (root || document).querySelectorAll("[data-show-if],[data-hide-if]").forEach(function (el) {
    if (el._jdToggle) return;
    el._jdToggle = true;
    var show = el.hasAttribute("data-show-if");
    var spec = el.getAttribute(show ? "data-show-if" : "data-hide-if").split("=");
    var scope = el.closest(".jd-answer") || el.closest("form") || document;
    var radios = scope.querySelectorAll('input[type=radio][name="' + spec[0] + '"]');
    function sync() {
      var checked = scope.querySelector('input[type=radio][name="' + spec[0] + '"]:checked');
      var match = !!checked && checked.value === spec[1];
      el.style.display = (show ? match : !match) ? "" : "none";
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  });
}
document.addEventListener("DOMContentLoaded", function () { jdToggles(); });
document.addEventListener("htmx:afterSwap", function (e) { jdToggles(e.target); });

// ECharts: <div class="jd-chart" data-chart='{...option...}' data-drill="/url?x={name}">
window.jdCharts = function (root) {
  if (!window.echarts) return;
  (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
    if (el._jdChart) return;
    var option = JSON.parse(el.getAttribute("data-chart"));
    var chart = echarts.init(el);
    chart.setOption(option);
    el._jdChart = chart;
    var drill = el.getAttribute("data-drill");
    if (drill) {
      chart.on("click", function (p) {
        // An item may carry its own url (a stacked segment: category and series together).
        if (p.data && p.data.url) { window.location.href = p.data.url; return; }
        var key = (p.data && p.data.key !== undefined) ? p.data.key : p.name;
        window.location.href = drill.replace("{name}", encodeURIComponent(key));
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  });
};
document.addEventListener("DOMContentLoaded", function () { window.jdCharts(); });
document.addEventListener("htmx:afterSwap", function (e) { window.jdCharts(e.target); });

// Bulk actions on a list: <form data-bulk> holding one box per row <input data-bulk-row>,
// a "select all on this page" box <input data-bulk-all>, counters <span data-bulk-count>
// and the action buttons <button data-bulk-needs>, disabled while no row is ticked.
function jdBulk(root) {
  (root || document).querySelectorAll("form[data-bulk]").forEach(function (form) {
    if (form._jdBulk) return;
    form._jdBulk = true;
    function rows() { return form.querySelectorAll("input[data-bulk-row]"); }
    function sync() {
      var all = rows(), n = 0;
      all.forEach(function (r) { if (r.checked) n++; });
      form.querySelectorAll("[data-bulk-count]").forEach(function (el) { el.textContent = n; });
      form.querySelectorAll("[data-bulk-needs]").forEach(function (b) { b.disabled = n === 0; });
      form.querySelectorAll("input[data-bulk-all]").forEach(function (box) {
        box.checked = n > 0 && n === all.length;
        box.indeterminate = n > 0 && n < all.length;
      });
    }
    form.addEventListener("change", function (e) {
      if (e.target.matches("input[data-bulk-all]")) {
        rows().forEach(function (r) { r.checked = e.target.checked; });
      }
      sync();
    });
    sync();
  });
}
document.addEventListener("DOMContentLoaded", function () { jdBulk(); });
document.addEventListener("htmx:afterSwap", function (e) { jdBulk(e.target); });

// Print the page: <button data-print>. Charts are resized to the paper width first.
document.addEventListener("click", function (e) {
  if (!e.target.closest("[data-print]")) return;
  window.print();
});
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("[data-chart]").forEach(function (el) { if (el._jdChart) el._jdChart.resize(); });
});

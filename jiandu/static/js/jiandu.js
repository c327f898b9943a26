// Confirm before anything that cannot be undone: <form data-confirm="确定…？">
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
}, true);

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

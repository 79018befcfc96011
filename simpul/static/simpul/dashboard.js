// Simpul dashboards: draw each panel's chart from the table beside it.
// The table is the source: <table data-chart="line|bar" data-chart-column="N">,
// the row header's text is the label and the N-th cell's data-value the number.
// Panels arrive by HTMX, so charts are (re)drawn after every swap.
(function () {
  "use strict";
  var BLUE = "#0b4a8b";
  var FILL = "rgba(11, 74, 139, 0.75)";

  function readTable(table) {
    var column = parseInt(table.dataset.chartColumn || "1", 10);
    var labels = [];
    var values = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      if (cells.length <= column) {
        return;
      }
      var raw = cells[column].dataset.value;
      labels.push(cells[0].textContent.trim());
      values.push(raw === "" || raw === undefined ? null : Number(raw));
    });
    var header = table.querySelectorAll("thead th")[column];
    return { labels: labels, values: values, series: header ? header.textContent.trim() : "" };
  }

  function draw(root) {
    if (typeof window.Chart === "undefined") {
      return; // the tables carry every figure; the chart is a picture of them
    }
    root.querySelectorAll(".dash-split.with-chart").forEach(function (split) {
      var table = split.querySelector("table[data-chart]");
      var canvas = split.querySelector("canvas");
      if (!table || !canvas) {
        return;
      }
      var previous = window.Chart.getChart(canvas);
      if (previous) {
        previous.destroy();
      }
      var data = readTable(table);
      var kind = table.dataset.chart === "line" ? "line" : "bar";
      new window.Chart(canvas, {
        type: kind,
        data: {
          labels: data.labels,
          datasets: [{
            label: data.series,
            data: data.values,
            borderColor: BLUE,
            backgroundColor: kind === "line" ? BLUE : FILL,
            spanGaps: true,
            tension: 0.2
          }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: kind === "bar" && data.labels.length > 6 ? "y" : "x",
          plugins: { legend: { display: true, position: "bottom" } },
          scales: { x: { ticks: { autoSkip: true, maxRotation: 0 } }, y: { beginAtZero: true } }
        }
      });
      split.dataset.drawn = "true";
    });
  }

  // A panel that fails says so (with a link to open it alone); the others carry on.
  function failed(event) {
    var body = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest(".dash-body");
    if (!body) {
      return;
    }
    var loading = body.querySelector(".dash-loading");
    var error = body.querySelector(".dash-error");
    if (loading && error) {
      loading.remove();
      error.hidden = false;
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  document.addEventListener("htmx:afterSwap", function (event) {
    draw(event.detail.target || document);
  });
  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
})();

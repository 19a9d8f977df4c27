// Draws the dashboard's bar charts (Chart.js, from our static files) from the JSON the page
// carries; a click on a bar opens the list of requests behind it (drill-down).
(function () {
  "use strict";
  var source = document.getElementById("report-charts");
  if (!source || typeof Chart === "undefined") return;
  var charts = JSON.parse(source.textContent);
  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.name + '"]');
    if (!canvas || !chart.bars.length) return;
    var isLine = chart.name === "by_day";
    new Chart(canvas, {
      type: isLine ? "line" : "bar",
      data: {
        labels: chart.bars.map(function (b) { return b.name; }),
        datasets: [{ label: chart.title, data: chart.bars.map(function (b) { return b.value; }),
                     backgroundColor: "rgba(13, 110, 253, 0.6)", borderColor: "rgb(13, 110, 253)" }]
      },
      options: {
        maintainAspectRatio: false,
        indexAxis: isLine ? "x" : (chart.bars.length > 8 ? "y" : "x"),
        plugins: { legend: { display: false } },
        onClick: function (_event, elements) {
          if (elements.length) window.location.href = chart.bars[elements[0].index].url;
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      }
    });
  });
})();

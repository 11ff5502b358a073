// The console dashboard's market chart: projects published and final awards per month, from
// the figures the panel embeds with json_script (the series labels are in data attributes).
(function () {
  "use strict";
  var canvas = document.getElementById("supervision-chart");
  var source = document.getElementById("supervision-series");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var series = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: series.labels,
      datasets: [
        { label: canvas.dataset.published, data: series.published },
        { label: canvas.dataset.awards, data: series.awards }
      ]
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();

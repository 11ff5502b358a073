// The credit page's score history: a stepped line over the public data the page embeds with
// json_script (the table beside it carries the same figures without JavaScript).
(function () {
  "use strict";
  var canvas = document.getElementById("score-history-chart");
  var source = document.getElementById("score-history-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var points = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: points.map(function (p) { return p.date; }),
      datasets: [{
        label: canvas.dataset.label,
        data: points.map(function (p) { return Number(p.score); }),
        stepped: true,
        borderColor: "#0d6efd",
        pointRadius: 2
      }]
    },
    options: {
      animation: false,
      maintainAspectRatio: false,  // the container's height decides (see credit_charts.js)
      scales: { y: { min: 0, max: 100 } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            afterLabel: function (context) { return points[context.dataIndex].grade; }
          }
        }
      }
    }
  });
})();

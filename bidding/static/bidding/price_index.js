// Charts of a service item's price index (bidding/price_index/item.html). The table below the
// charts holds the same figures, so without JavaScript (or Chart.js) nothing is lost. Numbers
// come from the json_script element; series labels from the canvases' data attributes.
(function () {
  "use strict";
  var source = document.getElementById("price-index-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // The containers have their own height (.chart-box); months without a project are gaps.
  var options = {maintainAspectRatio: false, spanGaps: true,
                 interaction: {mode: "index", intersect: false}};

  function spread(canvas, figures) {
    if (!canvas) { return; }
    new window.Chart(canvas, {type: "line", options: options, data: {
      labels: data.labels,
      datasets: [
        {label: canvas.dataset.labelQ3, data: figures.q3, borderDash: [4, 4], pointRadius: 0,
         fill: false},
        {label: canvas.dataset.labelMedian, data: figures.median, borderWidth: 3},
        {label: canvas.dataset.labelQ1, data: figures.q1, borderDash: [4, 4], pointRadius: 0,
         fill: "-2"}
      ]
    }});
  }

  spread(document.getElementById("price-chart"), data.price);
  spread(document.getElementById("discount-chart"), data.discount);

  var counts = document.getElementById("projects-chart");
  if (counts) {
    new window.Chart(counts, {type: "bar", data: {
      labels: data.labels,
      datasets: [
        {label: counts.dataset.labelProjects, data: data.projects, yAxisID: "y"},
        {label: counts.dataset.labelBids, data: data.bids, type: "line", yAxisID: "bids",
         spanGaps: true}
      ]
    }, options: {maintainAspectRatio: false, scales: {
      y: {beginAtZero: true, ticks: {precision: 0}},
      bids: {beginAtZero: true, position: "right", grid: {drawOnChartArea: false}}
    }}});
  }
})();

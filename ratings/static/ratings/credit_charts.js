// Charts of the market overview (ratings/credit_overview.html). The page's tables hold the same
// figures, so without JavaScript (or Chart.js) nothing is lost. Numbers come from the
// json_script element; series labels from the canvases' data attributes (translated there).
(function () {
  "use strict";
  var source = document.getElementById("market-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // The containers have their own height: a chart sized by its own canvas stays small after
  // the window grows (phone turned to landscape, a window widened).
  var counts = {maintainAspectRatio: false,
                scales: {y: {beginAtZero: true, ticks: {precision: 0}}}};

  function bars(canvas, labels, datasets) {
    new window.Chart(canvas, {type: "bar", data: {labels: labels, datasets: datasets},
                              options: counts});
  }

  var grades = document.getElementById("grade-chart");
  if (grades) {
    bars(grades, data.grades.labels, [
      {label: grades.dataset.labelAgencies, data: data.grades.agencies},
      {label: grades.dataset.labelOwners, data: data.grades.owners}
    ]);
  }
  var monthly = document.getElementById("monthly-chart");
  if (monthly) {
    bars(monthly, data.months.labels, [
      {label: monthly.dataset.labelPublished, data: data.months.published},
      {label: monthly.dataset.labelAwards, data: data.months.awards}
    ]);
  }
})();

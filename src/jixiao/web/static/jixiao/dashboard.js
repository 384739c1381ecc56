// Dashboard charts (ECharts, vendored): declarations by status, by review grade and by year.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var chart = window.jxChart;  // jixiao/charts.js
  chart.ring("chart-status", data.titles.status, data.status);
  chart.counts("chart-grade", data.titles.grade, data.grade, "#0d6efd");
  chart.counts("chart-year", data.titles.year, data.year, "#198754");
})();

// Evaluation dashboard charts (ECharts, vendored): self-evaluation grades, monitoring lights, unit averages.
(function () {
  "use strict";
  var node = document.getElementById("evaluation-chart-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var colours = {green: "#2e9d4b", yellow: "#e8b400", red: "#d0312d"};
  var chart = window.jxChart;  // jixiao/charts.js
  chart.counts("chart-grades", data.titles.grades, data.grades, "#0d6efd");
  chart.ring("chart-lights", data.titles.lights, data.lights.map(function (d) {
    return {name: d.name, value: d.value, itemStyle: {color: colours[d.key]}};
  }));
  chart("chart-units", {
    title: chart.title(data.titles.units),
    // Horizontal bars: a unit's full name reads on one line instead of being cut on a rotated axis.
    tooltip: {}, grid: {left: 10, right: 30, top: 40, bottom: 20, containLabel: true},
    yAxis: {type: "category", data: data.units.labels, inverse: true, axisLabel: {fontSize: 11, width: 260, overflow: "break"}},
    xAxis: {type: "value", min: 0, max: 100},
    series: [{type: "bar", data: data.units.values, itemStyle: {color: "#198754"}}]
  });
})();

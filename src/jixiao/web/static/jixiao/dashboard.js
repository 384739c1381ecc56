// Dashboard charts (ECharts, vendored): declarations by status, by review grade and by year.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var chart = window.jxChart;  // jixiao/charts.js
  chart("chart-status", {
    title: {text: data.titles.status, left: "center", textStyle: {fontSize: 14}},
    tooltip: {trigger: "item"},
    series: [{type: "pie", radius: ["35%", "65%"], data: data.status}]
  });
  chart("chart-grade", {
    title: {text: data.titles.grade, left: "center", textStyle: {fontSize: 14}},
    tooltip: {}, xAxis: {type: "category", data: data.grade.labels}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: data.grade.values, itemStyle: {color: "#0d6efd"}}]
  });
  chart("chart-year", {
    title: {text: data.titles.year, left: "center", textStyle: {fontSize: 14}},
    tooltip: {}, xAxis: {type: "category", data: data.year.labels}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: data.year.values, itemStyle: {color: "#198754"}}]
  });
})();

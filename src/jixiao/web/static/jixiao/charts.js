// One chart helper (ECharts, vendored) for every dashboard: draw `option` into element `id` and
// follow the window's size. A page without the element or without ECharts draws nothing.
window.jxChart = function (id, option) {
  "use strict";
  var el = document.getElementById(id);
  if (!el || typeof echarts === "undefined") return;
  var c = echarts.init(el);
  c.setOption(option);
  window.addEventListener("resize", function () { c.resize(); });
};

// The chart title every dashboard uses: centred, small.
window.jxChart.title = function (text) {
  "use strict";
  return {text: text, left: "center", textStyle: {fontSize: 14}};
};

// A count per category (`series` = {labels, values}) as vertical bars of one colour.
window.jxChart.counts = function (id, title, series, colour) {
  "use strict";
  window.jxChart(id, {
    title: window.jxChart.title(title),
    // containLabel: a province's counts (35,000) need a wider axis than a district's (35).
    tooltip: {}, grid: {left: 10, right: 20, top: 40, bottom: 20, containLabel: true},
    xAxis: {type: "category", data: series.labels}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: series.values, itemStyle: {color: colour}}]
  });
};

// Shares of a whole (`data` = [{name, value, itemStyle?}]) as a ring.
window.jxChart.ring = function (id, title, data) {
  "use strict";
  window.jxChart(id, {
    title: window.jxChart.title(title),
    tooltip: {trigger: "item"},
    series: [{type: "pie", radius: ["35%", "65%"], data: data}]
  });
};

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

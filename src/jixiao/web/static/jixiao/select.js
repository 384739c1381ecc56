// Lists: a "select all" box ticks every row of the page (bulk export). No inline script (strict CSP).
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll(".row-select").forEach(function (box) { box.checked = all.checked; });
  });
})();

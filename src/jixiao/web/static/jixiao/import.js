// Import: select all, a document unticked is skipped, and a progress bar while the server imports
// and reviews (the request stays open; no inline script, so it runs under the strict CSP).
(function () {
  "use strict";
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var bar = document.getElementById(form.getAttribute("data-progress"));
      if (bar) bar.classList.remove("d-none");
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
  var all = document.getElementById("select-all");
  if (!all) return;
  function sync(row) {
    var box = row.querySelector(".doc-include");
    var choice = row.querySelector(".doc-choice");
    if (!box.checked) choice.value = "skip";
    else if (choice.value === "skip" && choice.options.length > 1) choice.selectedIndex = 0;
  }
  all.addEventListener("change", function () {
    document.querySelectorAll(".import-row").forEach(function (row) {
      row.querySelector(".doc-include").checked = all.checked;
      sync(row);
    });
  });
  document.querySelectorAll(".import-row").forEach(function (row) {
    row.querySelector(".doc-include").addEventListener("change", function () { sync(row); });
    row.querySelector(".doc-choice").addEventListener("change", function (e) {
      row.querySelector(".doc-include").checked = e.target.value !== "skip";
    });
  });
})();

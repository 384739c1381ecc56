// Import: select all, a document unticked is skipped, and a progress bar while the server imports
// and reviews (the request stays open; no inline script, so it runs under the strict CSP).
(function () {
  "use strict";
  // A scan is read page by page: the upload names itself with a random token and the page asks
  // the server how many pages are done while the request is still open ("已识别 3 / 20 页").
  function pages(form, bar) {
    var input = form.querySelector("input[name=progress_token]");
    if (!input || !window.crypto) return;
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var token = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    input.value = token;
    var inner = bar.querySelector(".progress-bar");
    var label = form.getAttribute("data-pages-label") || "";
    var timer = window.setInterval(function () {
      fetch(form.getAttribute("data-pages") + "?token=" + token, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p || !p.total || !inner) return;
          inner.classList.remove("w-100", "progress-bar-animated");
          inner.style.width = Math.max(8, Math.round((100 * p.done) / p.total)) + "%";
          inner.textContent = label + " " + p.done + " / " + p.total;
          if (p.done >= p.total) window.clearInterval(timer);
        })
        .catch(function () { window.clearInterval(timer); });
    }, 1000);
  }
  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var bar = document.getElementById(form.getAttribute("data-progress"));
      if (bar) bar.classList.remove("d-none");
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      if (bar && form.getAttribute("data-pages")) pages(form, bar);
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

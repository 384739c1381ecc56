// The declaration editor: add, remove and reorder indicator rows, level-2 choices from the active
// framework, and a live check of each target against the grammar (GET /declarations/target-check/).
// Plain DOM code, no inline script: it runs under a strict Content-Security-Policy.
(function () {
  "use strict";
  var table = document.getElementById("indicator-rows");
  if (!table) return;
  var levels = JSON.parse(document.getElementById("framework-levels").textContent);
  var template = document.getElementById("row-template");

  function renumber() {
    var rows = table.querySelectorAll("tr.ind-row");
    rows.forEach(function (row, n) { row.querySelector(".row-number").textContent = String(n + 1); });
  }

  function fillLevel2(row) {
    var level1 = row.querySelector(".level1").value;
    var select = row.querySelector(".level2");
    var current = select.value;
    while (select.firstChild) select.removeChild(select.firstChild);
    (levels[level1] || []).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      if (name === current) option.selected = true;
      select.appendChild(option);
    });
  }

  var timers = new WeakMap();
  function checkTarget(input) {
    var row = input.closest("tr");
    var out = row.querySelector(".target-check");
    var text = input.value.trim();
    if (!text) {
      out.textContent = "";
      input.classList.remove("is-valid", "is-invalid");
      return;
    }
    fetch("/declarations/target-check/?text=" + encodeURIComponent(text), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (input.value.trim() !== text) return;  // the user typed on
        out.textContent = result.explanation;
        input.classList.toggle("is-invalid", !result.ok);
        input.classList.toggle("is-valid", result.ok);
        out.classList.toggle("text-danger", !result.ok);
        out.classList.toggle("text-muted", result.ok);
      })
      .catch(function () { /* offline: the server checks again on save */ });
  }

  document.getElementById("add-row").addEventListener("click", function () {
    var fragment = template.content.cloneNode(true);
    table.appendChild(fragment);
    var row = table.lastElementChild;
    fillLevel2(row);
    renumber();
    row.querySelector(".ind-name").focus();
  });

  table.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = button.closest("tr");
    if (button.classList.contains("remove-row")) row.remove();
    else if (button.classList.contains("move-up") && row.previousElementSibling) {
      table.insertBefore(row, row.previousElementSibling);
    } else if (button.classList.contains("move-down") && row.nextElementSibling) {
      table.insertBefore(row.nextElementSibling, row);
    }
    renumber();
  });

  table.addEventListener("change", function (event) {
    if (event.target.classList.contains("level1")) fillLevel2(event.target.closest("tr"));
  });

  table.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList.contains("ind-target")) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { checkTarget(input); }, 250));
  });

  // The framework follows the budget year (domain-rules.md §1: versioned by year and region).
  function fillLevel1(row) {
    var select = row.querySelector(".level1");
    var current = select.value;
    var names = Object.keys(levels);
    if (current && names.indexOf(current) < 0) names.push(current);
    while (select.firstChild) select.removeChild(select.firstChild);
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      if (name === current) option.selected = true;
      select.appendChild(option);
    });
  }
  var year = document.getElementById("f-year");
  if (year) {
    year.addEventListener("change", function () {
      fetch("/declarations/framework/?year=" + encodeURIComponent(year.value.trim()), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (fw) {
          levels = fw.levels;
          document.getElementById("framework-title").textContent = fw.title;
          table.querySelectorAll("tr.ind-row").forEach(function (row) { fillLevel1(row); fillLevel2(row); });
          var templateRow = template.content.querySelector("tr");
          if (templateRow) fillLevel1(templateRow);
        })
        .catch(function () { /* keep the current framework */ });
    });
  }

  renumber();
})();

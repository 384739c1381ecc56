// The declaration editor: add, remove and reorder indicator rows, level-2 choices from the active
// framework, and a live check of each target by the same review as the save (POST /declarations/live-check/).
// Plain DOM code, no inline script: it runs under a strict Content-Security-Policy.
(function () {
  "use strict";
  var table = document.getElementById("indicator-rows");
  if (!table) return;
  // The framework's tree, as the server rendered it: per 一级 a <select> whose first option is the
  // 一级 and the others its 二级; an option's value is the stored (Chinese) name, its text the label
  // in the reader's language.
  var levels = readLevels(document.getElementById("framework-levels").content);
  function readLevels(fragment) {
    var out = {};
    fragment.querySelectorAll("select[data-level1]").forEach(function (select) {
      var options = Array.prototype.map.call(select.options, function (o) {
        return {value: o.value, label: o.textContent};
      });
      out[select.getAttribute("data-level1")] = {label: options[0].label, children: options.slice(1)};
    });
    return out;
  }
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
    ((levels[level1] || {}).children || []).forEach(function (choice) {
      var option = document.createElement("option");
      option.value = choice.value;
      option.textContent = choice.label;
      if (choice.value === current) option.selected = true;
      select.appendChild(option);
    });
  }

  // The live check posts the form as typed to /declarations/live-check/, which runs the same review
  // as the save: a target is green only if the saved declaration would have no finding on it.
  var form = document.getElementById("editor");
  var liveTimer = null;
  var liveSeq = 0;
  function paintRow(row, result) {
    var input = row.querySelector(".ind-target");
    var out = row.querySelector(".target-check");
    var empty = !input.value.trim();
    input.classList.toggle("is-invalid", !empty && result.status === "error");
    input.classList.toggle("is-warning", !empty && result.status === "warning");
    input.classList.toggle("is-valid", !empty && result.status === "ok");
    out.textContent = empty ? "" : result.explanation;
    out.classList.toggle("text-danger", result.status === "error");
    out.classList.toggle("text-warning-emphasis", result.status === "warning");
    out.classList.toggle("text-muted", result.status === "ok");
    var hint = row.querySelector(".live-benchmark");
    if (hint) hint.textContent = empty ? "" : (result.benchmark || "");
    var box = row.querySelector(".findings-cell") || row.querySelector(".live-findings");
    while (box.firstChild) box.removeChild(box.firstChild);
    (empty ? [] : result.findings).forEach(function (f) {
      var line = document.createElement("div");
      line.className = "live-finding " + (f.severity === "error" ? "text-danger" : "text-warning-emphasis");
      line.textContent = f.code + " " + f.message + (f.suggestion ? " — " + f.suggestion : "");
      box.appendChild(line);
    });
  }
  function paintGrade(result) {
    var badge = document.getElementById("live-grade");
    if (!badge || !result.grade) return;
    badge.textContent = result.grade + " · " + result.score;
    var list = document.getElementById("live-deductions");
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    result.deductions.forEach(function (d) {
      var li = document.createElement("li");
      li.textContent = d.code + " " + d.title_zh + " −" + d.points + (d.count > 1 ? " (" + d.count + "×" + d.each + ")" : "");
      list.appendChild(li);
    });
  }
  function liveCheck() {
    var seq = ++liveSeq;
    fetch("/declarations/live-check/", {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (seq !== liveSeq) return;  // the user typed on
        var rows = table.querySelectorAll("tr.ind-row");
        result.rows.forEach(function (r, n) { if (rows[n]) paintRow(rows[n], r); });
        paintGrade(result);
      })
      .catch(function () { /* offline: the server checks again on save */ });
  }
  function scheduleCheck() {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(liveCheck, 300);
  }

  form.addEventListener("input", function (event) {
    if (!table.contains(event.target)) scheduleCheck();  // goals and header fields count too
  });
  liveCheck();

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
    if (!input.classList.contains("ind-target") && !input.classList.contains("ind-name")) return;
    scheduleCheck();
  });
  table.addEventListener("change", scheduleCheck);

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
      option.textContent = levels[name] ? levels[name].label : name;
      if (name === current) option.selected = true;
      select.appendChild(option);
    });
  }
  var year = document.getElementById("f-year");
  if (year) {
    year.addEventListener("change", function () {
      fetch("/declarations/framework/?year=" + encodeURIComponent(year.value.trim()), {credentials: "same-origin"})
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var fw = new DOMParser().parseFromString(html, "text/html").getElementById("framework-levels").content;
          levels = readLevels(fw);
          document.getElementById("framework-title").textContent = fw.querySelector(".framework-title").textContent;
          table.querySelectorAll("tr.ind-row").forEach(function (row) { fillLevel1(row); fillLevel2(row); });
          var templateRow = template.content.querySelector("tr");
          if (templateRow) fillLevel1(templateRow);
        })
        .catch(function () { /* keep the current framework */ });
    });
  }

  renumber();
})();

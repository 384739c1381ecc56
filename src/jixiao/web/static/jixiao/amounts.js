// Amount fields (元): a negative or unreadable amount is flagged while typing, and a readable one is
// shown with thousands separators when the field is left (1559500 → 1,559,500.00). The server
// checks again on save; this only tells the user sooner. No inline script (strict CSP).
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-amount]");
  if (!fields.length) return;
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var NEGATIVE = zh ? "金额不能为负数" : "an amount cannot be negative";
  var UNREADABLE = zh ? "金额无法识别，请写成 1559500、1,559,500 或 155.95万元" : "unreadable amount: write 1559500, 1,559,500 or 155.95万元";

  function parse(text) {
    var s = text.replace(/[\s,，元]/g, "").replace(/^[＋+]/, "");
    if (!s) return {empty: true};
    var scale = 1;
    if (/万$/.test(s)) { scale = 10000; s = s.slice(0, -1); }
    if (/^[-－−]/.test(s)) return {negative: true};
    if (!/^\d+(\.\d+)?$/.test(s)) return {bad: true};
    return {value: parseFloat(s) * scale};
  }
  function feedback(input) {
    var box = input.parentElement.querySelector(".invalid-feedback");
    if (!box) {
      box = document.createElement("div");
      box.className = "invalid-feedback";
      input.parentElement.appendChild(box);
    }
    return box;
  }
  function check(input) {
    var r = parse(input.value);
    var message = r.negative ? NEGATIVE : r.bad ? UNREADABLE : "";
    input.classList.toggle("is-invalid", !!message);
    if (message || input.dataset.live === "1") {
      feedback(input).textContent = message;
      input.dataset.live = "1";
    }
    return r;
  }
  fields.forEach(function (input) {
    input.addEventListener("input", function () { check(input); });
    input.addEventListener("blur", function () {
      var r = check(input);
      if (r.value !== undefined && !/万/.test(input.value)) {
        input.value = r.value.toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
      }
    });
  });
})();

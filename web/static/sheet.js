// The sheet of options (web/templates/_sheet.html): running subtotals of each part and group and the
// total, in hundredths (no binary drift); a case (variant) chosen first enables only its options; a
// criterion whose condition does not hold is shown as not applicable and its options disabled.
// A help only: the engine scores the sheet again when it is checked, and that preview is the truth.
(function () {
  "use strict";
  var form = document.getElementById("scoresheet");
  var total = document.getElementById("sheet-total");
  if (!form || !total) { return; }
  var comma = document.documentElement.lang === "vi";

  function shown(hundredths) {
    var text = (hundredths / 100).toFixed(2);
    return comma ? text.replace(".", ",") : text;
  }

  function radios(root, name) {
    return Array.prototype.filter.call(root.querySelectorAll("input[type=radio]"), function (input) {
      return input.name === name;
    });
  }

  // A criterion with cases: only the chosen case's options may be chosen.
  function cases(criterion) {
    var code = criterion.getAttribute("data-code");
    var picked = radios(criterion, "v-" + code).filter(function (input) { return input.checked; })[0];
    criterion.querySelectorAll("fieldset.case").forEach(function (box) {
      var open = !criterion.disabledByCondition && picked && box.getAttribute("data-case") === picked.value;
      box.classList.toggle("closed", !open);
      box.querySelectorAll("input[type=radio]").forEach(function (input) {
        input.disabled = !open;
        if (!open) { input.checked = false; }
      });
    });
  }

  // A criterion with a condition: not applicable once its basis is answered with a listed option.
  function condition(criterion) {
    var basis = criterion.getAttribute("data-basis");
    if (!basis) { return; }
    var unless = (criterion.getAttribute("data-unless") || "").split(" ").filter(Boolean);
    var chosen = radios(form, basis).filter(function (input) { return input.checked; })[0];
    var off = Boolean(chosen) && unless.indexOf(chosen.value) >= 0;
    criterion.disabledByCondition = off;
    criterion.classList.toggle("not-applicable", off);
    var note = criterion.querySelector("p.na");
    if (note) { note.hidden = !off; }
    criterion.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.disabled = off;
      if (off) { input.checked = false; }
    });
  }

  function sums() {
    var all = 0;
    form.querySelectorAll("output[data-sum]").forEach(function (out) {
      var box = out.closest("[data-group]");
      var sum = 0;
      box.querySelectorAll("input[type=radio][data-points]").forEach(function (input) {
        if (input.checked && !input.disabled) { sum += Number(input.getAttribute("data-points")); }
      });
      out.textContent = shown(sum);
    });
    form.querySelectorAll("input[type=radio][data-points]").forEach(function (input) {
      if (input.checked && !input.disabled) { all += Number(input.getAttribute("data-points")); }
    });
    total.textContent = shown(all);
  }

  function update() {
    var criteria = form.querySelectorAll("fieldset.criterion");
    criteria.forEach(condition);
    criteria.forEach(function (criterion) {
      if (criterion.querySelector("fieldset.variants")) { cases(criterion); }
    });
    sums();
  }

  form.addEventListener("change", update);
  update();
})();

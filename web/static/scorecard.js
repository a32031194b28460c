// The running total of the scorecard: the sum of the parts, in hundredths to avoid binary drift.
// The engine checks the ranges and the total again when the form is sent.
(function () {
  "use strict";
  var form = document.getElementById("scorecard");
  var out = document.getElementById("total");
  if (!form || !out) { return; }
  var comma = document.documentElement.lang === "vi";
  function update() {
    var hundredths = 0;
    var complete = true;
    form.querySelectorAll("input[data-part]").forEach(function (input) {
      // The engine's rule for a typed score (schemas/numbers.py read_typed_score): digits, then a
      // decimal comma or point and at most two decimals. Anything else leaves the total open.
      var match = /^([0-9]+)(?:[.,]([0-9]{1,2}))?$/.exec(input.value.trim());
      if (!match) { complete = false; return; }
      hundredths += Number(match[1]) * 100 + Number(((match[2] || "") + "00").slice(0, 2));
    });
    var text = complete ? (hundredths / 100).toFixed(2) : "—";
    out.textContent = comma ? text.replace(".", ",") : text;
  }
  form.addEventListener("input", update);
  update();
})();

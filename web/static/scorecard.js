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
      var raw = input.value.replace(",", ".").trim();
      var value = Number(raw);
      if (raw === "" || !isFinite(value)) { complete = false; return; }
      hundredths += Math.round(value * 100);
    });
    var text = complete ? (hundredths / 100).toFixed(2) : "—";
    out.textContent = comma ? text.replace(".", ",") : text;
  }
  form.addEventListener("input", update);
  update();
})();

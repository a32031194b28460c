// Refresh the council board every few seconds: fetch the table again and swap it in when it
// changed, keeping keyboard focus on the same control.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !board.dataset.source) { return; }
  var PERIOD = 3000;
  function focusKey(element) {
    if (!element || !board.contains(element)) { return null; }
    if (element.dataset && element.dataset.journey) { return "[data-journey='" + element.dataset.journey + "']." + element.className.split(" ")[0]; }
    return element.id ? "#" + element.id : null;
  }
  function refresh() {
    fetch(board.dataset.source, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { throw new Error("signed out or unavailable"); }
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var table = parsed.querySelector("table");
        var current = board.querySelector("table");
        var changed = !table || !current || table.outerHTML.replace(/name="key" value="[^"]*"/g, "") !==
          current.outerHTML.replace(/name="key" value="[^"]*"/g, "");
        var updated = parsed.getElementById("board-updated");
        if (changed) {
          var key = focusKey(document.activeElement);
          board.innerHTML = parsed.body.innerHTML;
          if (key) {
            var again = board.querySelector(key);
            if (again) { again.focus(); }
          }
        } else if (updated) {
          var stamp = document.getElementById("board-updated");
          if (stamp) { stamp.textContent = updated.textContent; }
        }
        window.setTimeout(refresh, PERIOD);
      })
      .catch(function () { window.setTimeout(refresh, PERIOD * 5); });
  }
  window.setTimeout(refresh, PERIOD);
})();

// Starts ReDoc on /redoc (api/docs.py) over the engine's OpenAPI document.
(function () {
  "use strict";
  var root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapi, {}, root);
})();

// Upload the files chosen on a dossier step, one by one, each with its <progress>; a file kept by
// the engine shows its kind and size, and its reference (sha256:...) is added to the step's field.
(function () {
  "use strict";
  function sizeText(bytes) {
    if (bytes >= 1048576) { return (bytes / 1048576).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }
  function addReference(target, reference, several) {
    if (!several) { target.value = reference; return; }
    var lines = target.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
    if (lines.indexOf(reference) < 0) { lines.push(reference); }
    target.value = lines.join("\n");
  }
  function send(box, file) {
    var target = document.getElementById(box.dataset.target);
    var item = document.createElement("li");
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = box.dataset.sending;
    item.appendChild(name);
    item.appendChild(progress);
    item.appendChild(status);
    box.querySelector(".uploads").appendChild(item);
    var body = new FormData();
    body.append("file", file, file.name);
    var request = new XMLHttpRequest();
    request.open("POST", box.dataset.upload);
    request.setRequestHeader("X-CSRF-Token", box.dataset.csrf);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { progress.value = Math.round(100 * event.loaded / event.total); }
    });
    request.addEventListener("load", function () {
      if (request.status === 200 || request.status === 201) {
        var view = JSON.parse(request.responseText);
        progress.value = 100;
        item.className = "upload-done";
        item.dataset.reference = view.reference;
        status.textContent = box.dataset.done + " — " + view.kind + ", " + sizeText(view.size);
        addReference(target, view.reference, box.dataset.several === "true");
      } else {
        item.className = "upload-failed";
        status.textContent = box.dataset.failed + " (" + request.status + ")";
      }
    });
    request.addEventListener("error", function () {
      item.className = "upload-failed";
      status.textContent = box.dataset.failed;
    });
    request.send(body);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-upload]"), function (box) {
    var input = box.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) { send(box, file); });
      input.value = "";
    });
  });
})();

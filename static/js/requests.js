// The teller's request page: drag and drop onto the file field, upload progress, the
// step-up dialog reopened when the supervisor's credentials were refused.
(function () {
  "use strict";

  function wire(root) {
    root.querySelectorAll("[data-drop-zone]").forEach(function (zone) {
      if (zone.dataset.wired) { return; }
      zone.dataset.wired = "1";
      var input = zone.querySelector("input[type=file]");
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (input && event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      if (input) {
        // A new file: the warnings about the previous one no longer apply.
        input.addEventListener("change", function () {
          var feedback = document.getElementById("upload-feedback");
          if (feedback) { feedback.innerHTML = ""; }
        });
      }
    });
  }
  wire(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { wire(event.detail.target || document); });

  document.body.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    var bar = form && form.querySelector("[data-upload-progress]");
    if (bar && event.detail.lengthComputable) {
      bar.classList.remove("d-none");
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var bar = event.target.querySelector ? event.target.querySelector("[data-upload-progress]") : null;
    if (bar) { bar.classList.add("d-none"); bar.value = 0; }
  });

  var dialog = document.querySelector(".modal.show-on-load");
  if (dialog && window.bootstrap) {
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  }
  var onSite = document.getElementById("on-site-dialog");
  if (onSite) {
    onSite.addEventListener("shown.bs.modal", function () {
      var first = onSite.querySelector(".is-invalid, input[name=supervisor_username]");
      if (first) { first.focus(); }
    });
  }
})();

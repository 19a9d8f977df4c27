// Evidence upload widget (imaging/_upload.html): a preview of the chosen file, a progress
// bar while it is sent, then the image's card (or the reason it was refused) in place.
(function () {
  "use strict";

  function setProgress(form, percent) {
    const bar = form.querySelector("[data-imaging-progress]");
    bar.classList.remove("d-none");
    bar.setAttribute("aria-valuenow", String(percent));
    const inner = bar.querySelector(".progress-bar");
    inner.style.width = percent + "%";
    inner.textContent = percent + "%";
  }

  function showPreview(form, file) {
    const figure = form.querySelector("[data-imaging-preview]");
    const img = figure.querySelector("img");
    figure.querySelector("figcaption").textContent = file ? file.name : "";
    if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
    if (file && /^image\/(jpeg|png)$/.test(file.type)) {
      img.dataset.url = URL.createObjectURL(file);
      img.src = img.dataset.url;
      img.classList.remove("d-none");
    } else {
      img.removeAttribute("src");
      img.classList.add("d-none");  // TIFF and PDF: the name only; the server renders them
    }
    figure.classList.toggle("d-none", !file);
  }

  function bind(form) {
    const input = form.querySelector("[data-imaging-file]");
    const error = form.querySelector("[data-imaging-error]");
    input.addEventListener("change", function () {
      error.textContent = "";
      showPreview(form, input.files[0]);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.files.length) return;
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      error.textContent = "";
      setProgress(form, 0);
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          setProgress(form, Math.round((progress.loaded / progress.total) * 100));
        }
      });
      request.addEventListener("load", function () {
        button.disabled = false;
        if (request.status === 201) {
          setProgress(form, 100);
          const cards = form.parentElement.querySelector("[data-imaging-cards]");
          cards.insertAdjacentHTML("beforeend", request.responseText);
          if (window.htmx) window.htmx.process(cards.lastElementChild);  // polls until ready
          form.reset();
          showPreview(form, null);
        } else {
          error.textContent = request.status === 400 ? request.responseText.trim() : request.statusText;
        }
      });
      request.addEventListener("error", function () {
        button.disabled = false;
        error.textContent = form.dataset.networkError || "Network error";
      });
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-imaging-upload]").forEach(bind);
})();

// The review workbench: image viewer (zoom, rotate, fit, ID pair side by side), countdowns,
// and keyboard shortcuts for the whole loop. Everything also works with the mouse alone.
(function () {
  "use strict";

  // --- Countdowns (time left against the limit, the claim's lease) -------------------------
  function formatSeconds(total) {
    var sign = total < 0 ? "-" : "";
    total = Math.abs(total);
    var m = Math.floor(total / 60), s = total % 60;
    return sign + m + ":" + (s < 10 ? "0" : "") + s;
  }
  var started = Date.now();
  var countdowns = Array.prototype.slice.call(document.querySelectorAll("[data-countdown]"));
  function tick() {
    var elapsed = Math.floor((Date.now() - started) / 1000);
    countdowns.forEach(function (el) {
      var left = parseInt(el.dataset.countdown, 10) - elapsed;
      el.textContent = formatSeconds(left);
      el.classList.toggle("text-danger", left <= 60);
    });
  }
  if (countdowns.length) { tick(); setInterval(tick, 1000); }

  // --- Viewer -----------------------------------------------------------------------------
  var stage = document.querySelector("[data-viewer-stage]");
  var image = document.querySelector("[data-viewer-image]");
  var pair = document.querySelector("[data-viewer-pair]");
  var full = document.querySelector("[data-viewer-full]");
  var thumbs = Array.prototype.slice.call(document.querySelectorAll("[data-view-url]"));
  var state = { zoom: 1, rotation: 0, pair: false };

  function apply() {
    var transform = "scale(" + state.zoom + ") rotate(" + state.rotation + "deg)";
    [image].concat(pair ? Array.prototype.slice.call(pair.querySelectorAll("img")) : [])
      .forEach(function (img) { if (img) { img.style.transform = transform; } });
    if (stage) {
      stage.dataset.zoom = String(state.zoom);
      stage.dataset.rotation = String(state.rotation);
      stage.classList.toggle("zoomed", state.zoom > 1);
    }
  }
  function show(button) {
    if (!image || !button) { return; }
    image.src = button.dataset.viewUrl;
    image.alt = button.getAttribute("aria-label") || "";
    image.hidden = false;
    image.dataset.imageType = button.dataset.imageType;
    if (full) { full.href = button.dataset.fullUrl; }
    thumbs.forEach(function (t) { t.classList.toggle("active", t === button); });
    setPair(false);
    state.zoom = 1; state.rotation = 0; apply();
  }
  function setPair(on) {
    if (!pair) { return; }
    state.pair = on;
    pair.hidden = !on;
    if (image) { image.hidden = on || !image.getAttribute("src"); }
    var toggle = document.querySelector("[data-viewer='pair']");
    if (toggle) { toggle.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  var actions = {
    "zoom-in": function () { state.zoom = Math.min(8, state.zoom * 1.5); apply(); },
    "zoom-out": function () { state.zoom = Math.max(0.25, state.zoom / 1.5); apply(); },
    "fit": function () { state.zoom = 1; state.rotation = 0; apply(); },
    "rotate": function () { state.rotation = (state.rotation + 90) % 360; apply(); },
    "pair": function () { setPair(!state.pair); state.zoom = 1; apply(); },
  };
  document.querySelectorAll("[data-viewer]").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.dataset.viewer](); });
  });
  thumbs.forEach(function (button) {
    button.addEventListener("click", function () { show(button); });
  });
  if (thumbs.length) {
    // The review-size picture of the first image first; the ID pair side by side when there is one.
    show(thumbs[0]);
    if (pair) { setPair(true); }
  }

  // --- Review points ----------------------------------------------------------------------
  var points = Array.prototype.slice.call(document.querySelectorAll("#decision-form .review-point"));
  var current = -1;
  function focusPoint(index) {
    if (!points.length) { return; }
    current = (index + points.length) % points.length;
    points.forEach(function (p, i) { p.classList.toggle("current", i === current); });
    points[current].focus();
    points[current].scrollIntoView({ block: "nearest" });
  }
  function mark(value) {
    if (current < 0) { focusPoint(0); }
    var radio = points[current].querySelector("input[data-verdict='" + value + "']");
    if (radio) { radio.checked = true; }
    if (value === "fail") {
      var note = points[current].querySelector("input[type=text]");
      if (note) { note.focus(); }
      return;
    }
    if (current < points.length - 1) { focusPoint(current + 1); }
  }
  points.forEach(function (p, i) {
    p.addEventListener("focusin", function () {
      current = i;
      points.forEach(function (q, j) { q.classList.toggle("current", j === i); });
    });
  });

  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }

  // --- Shortcuts (not while typing in a field or with a modifier) -------------------------
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
      (target.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type)));
    if (typing) { return; }
    var key = event.key;
    var handled = true;
    switch (key) {
      case "n": case "N":
        handled = click("[data-shortcut-form='n'] button[type=submit]"); break;
      case "j": case "J": focusPoint(current + 1); break;
      case "k": case "K": focusPoint(current - 1); break;
      case "p": case "P": if (points.length) { mark("pass"); } else { handled = false; } break;
      case "f": case "F": if (points.length) { mark("fail"); } else { handled = false; } break;
      case "a": case "A": handled = click("[data-testid='approve']"); break;
      case "r": case "R": handled = click("[data-testid='return']"); break;
      case "x": case "X": handled = click("[data-testid='reject']"); break;
      case "s": case "S": handled = click("#decision-form button[value='save']"); break;
      case "+": case "=": actions["zoom-in"](); break;
      case "-": actions["zoom-out"](); break;
      case "0": actions.fit(); break;
      case "o": case "O": actions.rotate(); break;
      case "i": case "I": if (pair) { actions.pair(); } else { handled = false; } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
})();

// Instrumentation from the pages (reports' data collection): events are queued in memory and
// sent in batches (every 10 s, at 20 events, and when the page is hidden) with a keep-alive
// fetch, so the page never waits for them. Include on any page:
//   <script src="{% static 'reports/instrumentation.js' %}" data-url="{% url 'reports:instrumentation' %}" data-request="AR..."></script>
// It sends "page_shown" on load (with the time until then), and:
//   <a data-instrument="image_opened" data-subject="<image id>">  → one event per click;
//   <fieldset data-instrument-time="review_point_time" data-subject="ID_MATCHES"> → the time
//   spent inside it (from focus in to focus out), one event per visit;
//   <form data-instrument-decision> with data-claimed-at and data-now (epoch seconds, from the
//   server) on the script → "claim_to_decision" when an approve, return or reject button
//   submits it (claim to now by the server's clock, plus the time on the page), sent at once.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.url || !window.fetch) return;
  var url = script.dataset.url;
  var request = script.dataset.request || "";
  var queue = [];
  var token = "";
  try { token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { token = ""; }

  function record(name, subject, durationMs) {
    var event = { name: name, path: location.pathname, request: request, subject: subject || "" };
    if (typeof durationMs === "number") event.duration_ms = Math.max(0, Math.round(durationMs));
    event.at = Date.now();
    queue.push(event);
    if (queue.length >= 20) flush();
  }

  function flush() {
    if (!queue.length) return;
    var now = Date.now();
    var batch = queue.splice(0, queue.length).map(function (e) {
      var copy = Object.assign({}, e, { seconds_ago: Math.max(0, (now - e.at) / 1000) });
      delete copy.at;
      return copy;
    });
    fetch(url, {
      method: "POST", keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(batch)
    }).catch(function () { /* instrumentation never disturbs the page */ });
  }

  record("page_shown", "", performance.now());
  setInterval(flush, 10000);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flush(); });
  window.addEventListener("pagehide", flush);
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-instrument]");
    if (target) record(target.dataset.instrument, target.dataset.subject);
  });
  var claimedAt = parseInt(script.dataset.claimedAt || "", 10);
  var serverNow = parseInt(script.dataset.now || "", 10);
  document.addEventListener("submit", function (event) {
    if (!event.target.closest("[data-instrument-decision]") || isNaN(claimedAt) || isNaN(serverNow)) return;
    var action = event.submitter ? event.submitter.value : "";
    if (["approve", "return", "reject"].indexOf(action) < 0) return;
    record("claim_to_decision", action, (serverNow - claimedAt) * 1000 + performance.now());
    flush();
  });
  var entered = new WeakMap();
  document.addEventListener("focusin", function (event) {
    var box = event.target.closest("[data-instrument-time]");
    if (box && !entered.has(box)) entered.set(box, performance.now());
  });
  document.addEventListener("focusout", function (event) {
    var box = event.target.closest("[data-instrument-time]");
    if (!box || (event.relatedTarget && box.contains(event.relatedTarget))) return;
    var start = entered.get(box);
    entered.delete(box);
    if (start !== undefined) record(box.dataset.instrumentTime, box.dataset.subject, performance.now() - start);
  });
})();

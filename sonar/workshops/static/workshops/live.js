/* Live workshop pages: follow the workshop by Server-Sent Events, poll where they are missing.
   Counts are updated in place; when the stage changes (a question opened, answers revealed,
   the workshop closed) the page reloads, unless the participant has an unsaved choice: then a
   notice offers the next step. Without this script, every page has a « Rafraîchir » link. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) {
    return;
  }
  var stage = root.getAttribute("data-stage");
  var version = parseInt(root.getAttribute("data-version"), 10) || 0;
  var form = document.querySelector("[data-answer-form]");
  var dirty = false;

  if (form) {
    form.addEventListener("change", function () {
      dirty = true;
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
  }

  function setText(selector, value) {
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i += 1) {
      if (nodes[i].textContent !== String(value)) {
        nodes[i].textContent = String(value);
      }
    }
  }

  function apply(snapshot) {
    if (!snapshot || snapshot.version <= version) {
      return;
    }
    version = snapshot.version;
    if (snapshot.stage !== stage) {
      if (dirty) {
        var notice = root.querySelector(".live-notice");
        if (notice) {
          notice.hidden = false;
        }
        return;
      }
      window.location.reload();
      return;
    }
    setText('[data-count="participants"]', snapshot.participants);
    setText('[data-count="answers"]', snapshot.answers);
    Object.keys(snapshot.answered || {}).forEach(function (key) {
      setText('[data-answered="' + key + '"]', snapshot.answered[key]);
    });
  }

  function poll() {
    var url = root.getAttribute("data-poll");
    function once() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(apply)
        .catch(function () {})
        .then(function () {
          window.setTimeout(once, 5000);
        });
    }
    window.setTimeout(once, 5000);
  }

  if (!("EventSource" in window)) {
    poll();
    return;
  }
  // The browser reconnects by itself and sends Last-Event-ID: a missed event costs nothing.
  var source = new EventSource(root.getAttribute("data-stream"));
  source.addEventListener("snapshot", function (event) {
    try {
      apply(JSON.parse(event.data));
    } catch (error) {
      /* A malformed event is skipped; the next snapshot carries everything. */
    }
  });
  // A stream refused (the server holds as many as it may: 429 or 503) is not retried by the
  // browser: the page polls instead.
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) {
      poll();
    }
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();

/* Keyboard shortcuts of the control page and the projector, and the projector's full screen.
   → or Space: next; ←: previous; R: reveal; T: timer; F: full screen (projector). Each key
   clicks the element marked data-key="…" on the page, so it does exactly what its button or
   link does without JavaScript. Keys typed in a field, or with a modifier, are left alone. */
(function () {
  "use strict";
  var root = document.querySelector("[data-keys]");
  if (!root) {
    return;
  }
  var full = document.querySelector("[data-fullscreen]");
  var canFullscreen = Boolean(full && document.documentElement.requestFullscreen);

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(function () {});
    } else {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  if (canFullscreen) {
    full.hidden = false;
    full.addEventListener("click", toggleFullscreen);
  }

  var KEYS = {
    ArrowRight: "next",
    " ": "next",
    ArrowLeft: "previous",
    r: "reveal",
    R: "reveal",
    t: "timer",
    T: "timer"
  };

  function typing(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(target.closest("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    // Space on a focused button or link already activates it.
    if (event.key === " " && event.target.closest && event.target.closest("a, button, summary")) {
      return;
    }
    if ((event.key === "f" || event.key === "F") && canFullscreen) {
      event.preventDefault();
      toggleFullscreen();
      return;
    }
    var name = KEYS[event.key];
    if (!name) {
      return;
    }
    var target = root.querySelector('[data-key="' + name + '"]');
    if (!target) {
      return;
    }
    event.preventDefault();
    target.click();
  });
})();

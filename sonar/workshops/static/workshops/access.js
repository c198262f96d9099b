// The copy button of a facilitator's secret link: shown only where the clipboard can be
// written; without it (or without JavaScript) the link stays on the page, whole, to select.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!target || !navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () {
          status.textContent = button.dataset.copied;
        },
        function () {
          var range = document.createRange();
          range.selectNodeContents(target);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          status.textContent = button.dataset.failed;
        }
      );
    });
  });
})();

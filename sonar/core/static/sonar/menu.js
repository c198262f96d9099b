// Disclosures that fold on a phone and stay open on a wide screen: the header's menu, the
// catalogue's filters. Each is a <details data-open-from="<width>">. The stylesheets already
// show their content on wide screens in browsers that know ::details-content; this keeps the
// element's open state right everywhere else.
(function () {
  "use strict";
  if (!window.matchMedia) return;
  document.querySelectorAll("details[data-open-from]").forEach(function (fold) {
    var wide = window.matchMedia("(min-width: " + fold.dataset.openFrom + ")");
    function follow() {
      fold.open = wide.matches;
    }
    follow();
    if (wide.addEventListener) wide.addEventListener("change", follow);
  });
})();

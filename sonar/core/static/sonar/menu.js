// The header's menu is a <details> disclosure: closed on a phone, always open on a wide screen.
// The stylesheet already shows its content on wide screens in browsers that know
// ::details-content; this keeps the element's state true everywhere else.
(function () {
  "use strict";
  var menu = document.querySelector("details.site-menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 68em)");
  function follow() {
    menu.open = wide.matches;
  }
  follow();
  if (wide.addEventListener) wide.addEventListener("change", follow);
})();

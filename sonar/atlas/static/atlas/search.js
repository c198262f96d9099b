// Refreshes the search results as people type. The form works without this script: it only
// saves pressing Enter. The new count is read out by a polite live region outside the results.
(function () {
  "use strict";
  var form = document.querySelector("[data-live-search]");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var target = document.getElementById("search-results");
  var announce = document.querySelector("[data-search-announce]");
  var timer = null;
  var controller = null;
  var last = input.value;

  function refresh() {
    var query = input.value;
    if (query === last) {
      return;
    }
    last = query;
    var url = form.getAttribute("action") + "?" + new URLSearchParams({ q: query }).toString();
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url, { signal: controller ? controller.signal : undefined, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("search-results");
        if (!fresh) {
          return;
        }
        target.innerHTML = fresh.innerHTML;
        history.replaceState(null, "", url);
        document.title = page.title;
        var status = target.querySelector("[data-search-status]");
        if (announce && status) {
          announce.textContent = status.textContent.trim();
        }
      })
      .catch(function () {
        // A superseded or failed refresh leaves the previous results; Enter still works.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
})();

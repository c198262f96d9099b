// A filter form (<form data-live>) whose results and counts follow each tick: the page is asked
// again with the new query, its results and counts replace the old ones, the address follows,
// and a status line says how many results there are. Without JavaScript, or if the request
// fails, the form's own button sends it as usual.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live]");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
  var status = form.querySelector("[data-live-status]");
  var pending = null;
  form.classList.add("facets--live");

  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    var query = params.toString();
    return form.action + (query ? "?" + query : "");
  }

  function replace(selector, fresh) {
    var mine = document.querySelector(selector);
    var theirs = fresh.querySelector(selector);
    if (mine && theirs) mine.replaceWith(theirs);
    return Boolean(mine && theirs);
  }

  function update() {
    var url = address();
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    fetch(url, { signal: pending && pending.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (!replace("section.results", fresh)) throw new Error("no results");
        form.querySelectorAll(".check__count").forEach(function (count) {
          var input = count.closest(".check").querySelector("input");
          var twin = fresh.getElementById(input.id);
          var theirs = twin && twin.closest(".check").querySelector(".check__count");
          if (theirs) count.innerHTML = theirs.innerHTML;
        });
        var toggle = fresh.querySelector(".facets__toggle");
        if (toggle) form.querySelector(".facets__toggle").textContent = toggle.textContent;
        document.title = fresh.title;
        history.pushState(null, "", url);
        var title = document.getElementById("results-title");
        if (status && title) status.textContent = title.textContent.replace(/\s+/g, " ").trim();
      })
      .catch(function (error) {
        if (error.name !== "AbortError") window.location.assign(url);
      });
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  // The address moved with each tick: going back shows that page again.
  window.addEventListener("popstate", function () {
    window.location.reload();
  });
})();

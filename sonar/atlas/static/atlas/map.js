/* Sea chart: zoom and pan, an enhancement. Without this file every node is still a link and
   the page works; with it, buttons, the mouse wheel, dragging and the keyboard move the view
   by changing the SVG's viewBox. */
(function () {
  "use strict";

  var MAX_SCALE = 6;
  var STEP = 1.5;

  function View(viewport) {
    var svg = viewport.querySelector("svg");
    var box = svg.viewBox.baseVal;
    this.viewport = viewport;
    this.svg = svg;
    this.full = { w: box.width, h: box.height };
    this.reset();
  }

  View.prototype.reset = function () {
    this.scale = 1;
    this.cx = this.full.w / 2;
    this.cy = this.full.h / 2;
    this.apply();
  };

  View.prototype.apply = function () {
    var w = this.full.w / this.scale;
    var h = this.full.h / this.scale;
    this.cx = Math.min(Math.max(this.cx, w / 2), this.full.w - w / 2);
    this.cy = Math.min(Math.max(this.cy, h / 2), this.full.h - h / 2);
    var x = this.cx - w / 2;
    var y = this.cy - h / 2;
    this.svg.setAttribute("viewBox", [x, y, w, h].map(function (n) {
      return Math.round(n * 10) / 10;
    }).join(" "));
    this.viewport.classList.toggle("is-zoomed", this.scale > 1);
  };

  // Zoom by `factor`, keeping the point (px, py) of the chart (in viewBox units) in place.
  View.prototype.zoom = function (factor, px, py) {
    var scale = Math.min(Math.max(this.scale * factor, 1), MAX_SCALE);
    if (px !== undefined) {
      var ratio = this.scale / scale;
      this.cx = px + (this.cx - px) * ratio;
      this.cy = py + (this.cy - py) * ratio;
    }
    this.scale = scale;
    this.apply();
  };

  View.prototype.pan = function (dx, dy) {
    this.cx += dx;
    this.cy += dy;
    this.apply();
  };

  // From a pointer position on screen to viewBox units.
  View.prototype.unitsPerPixel = function () {
    var rect = this.svg.getBoundingClientRect();
    return rect.width ? this.full.w / this.scale / rect.width : 1;
  };

  View.prototype.point = function (clientX, clientY) {
    var rect = this.svg.getBoundingClientRect();
    var k = this.unitsPerPixel();
    var w = this.full.w / this.scale;
    var h = this.full.h / this.scale;
    return {
      x: this.cx - w / 2 + (clientX - rect.left) * k,
      y: this.cy - h / 2 + (clientY - rect.top) * k,
    };
  };

  function setUp(chart) {
    var tools = chart.querySelector(".seachart__tools");
    var views = Array.prototype.map.call(
      chart.querySelectorAll(".seachart__viewport"),
      function (viewport) { return new View(viewport); }
    );
    if (!tools || !views.length) {
      return;
    }
    tools.hidden = false;

    function all(action) {
      views.forEach(action);
    }

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) {
        return;
      }
      var kind = button.getAttribute("data-zoom");
      all(function (view) {
        if (kind === "in") {
          view.zoom(STEP);
        } else if (kind === "out") {
          view.zoom(1 / STEP);
        } else {
          view.reset();
        }
      });
    });

    views.forEach(function (view) {
      var viewport = view.viewport;
      viewport.classList.add("is-zoomable");
      viewport.setAttribute("tabindex", "0");
      viewport.setAttribute("role", "region");
      viewport.setAttribute("aria-label", viewport.getAttribute("data-label"));

      // The wheel zooms once the chart is in use (zoomed or focused), or with Ctrl, so that
      // scrolling the page over the chart still scrolls the page.
      viewport.addEventListener("wheel", function (event) {
        var inUse = view.scale > 1 || viewport.contains(document.activeElement);
        if (!inUse && !event.ctrlKey && !event.metaKey) {
          return;
        }
        event.preventDefault();
        var p = view.point(event.clientX, event.clientY);
        view.zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, p.x, p.y);
      }, { passive: false });

      var drag = null;
      var dragged = false;
      viewport.addEventListener("pointerdown", function (event) {
        if (event.button !== 0 || view.scale <= 1) {
          return;
        }
        drag = { x: event.clientX, y: event.clientY, id: event.pointerId };
        dragged = false;
      });
      viewport.addEventListener("pointermove", function (event) {
        if (!drag || event.pointerId !== drag.id) {
          return;
        }
        var dx = event.clientX - drag.x;
        var dy = event.clientY - drag.y;
        if (!dragged && Math.abs(dx) + Math.abs(dy) < 5) {
          return;
        }
        if (!dragged) {
          dragged = true;
          viewport.setPointerCapture(event.pointerId);
          viewport.classList.add("is-dragging");
        }
        var k = view.unitsPerPixel();
        view.pan(-dx * k, -dy * k);
        drag.x = event.clientX;
        drag.y = event.clientY;
      });
      function endDrag() {
        drag = null;
        viewport.classList.remove("is-dragging");
      }
      // Links are draggable by default: the chart's drag moves the view instead.
      viewport.addEventListener("dragstart", function (event) {
        event.preventDefault();
      });
      viewport.addEventListener("pointerup", endDrag);
      viewport.addEventListener("pointercancel", endDrag);
      // A drag that ends on a node is not a click on it.
      viewport.addEventListener("click", function (event) {
        if (dragged) {
          event.preventDefault();
          dragged = false;
        }
      }, true);

      viewport.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey) {
          return;
        }
        var step = (view.full.w / view.scale) / 8;
        var moves = {
          ArrowLeft: [-step, 0],
          ArrowRight: [step, 0],
          ArrowUp: [0, -step],
          ArrowDown: [0, step],
        };
        if (moves[event.key]) {
          if (view.scale <= 1) {
            return;
          }
          view.pan(moves[event.key][0], moves[event.key][1]);
        } else if (event.key === "+" || event.key === "=") {
          view.zoom(STEP);
        } else if (event.key === "-") {
          view.zoom(1 / STEP);
        } else if (event.key === "0") {
          view.reset();
        } else {
          return;
        }
        event.preventDefault();
      });

      // A hover label is drawn in the node's place, under the nodes that come after it;
      // a copy on top of everything shows it whole.
      var overlay = document.createElementNS("http://www.w3.org/2000/svg", "g");
      overlay.setAttribute("class", "seachart__overlay");
      overlay.setAttribute("aria-hidden", "true");
      view.svg.appendChild(overlay);
      function show(event) {
        var node = event.target.closest && event.target.closest(".seachart__node");
        var label = node && node.querySelector(".seachart__hover");
        overlay.textContent = "";
        if (label) {
          overlay.appendChild(label.cloneNode(true));
        }
      }
      function hide() {
        overlay.textContent = "";
      }
      viewport.addEventListener("pointerover", show);
      viewport.addEventListener("pointerleave", hide);
      viewport.addEventListener("focusin", show);
      viewport.addEventListener("focusout", hide);

      // A node reached by Tab outside the zoomed view comes into view.
      viewport.addEventListener("focusin", function (event) {
        var hit = event.target.querySelector && event.target.querySelector(".seachart__hit");
        if (!hit || view.scale <= 1) {
          return;
        }
        var x = hit.cx.baseVal.value;
        var y = hit.cy.baseVal.value;
        var w = view.full.w / view.scale;
        var h = view.full.h / view.scale;
        if (Math.abs(x - view.cx) > w / 2 - 20 || Math.abs(y - view.cy) > h / 2 - 20) {
          view.cx = x;
          view.cy = y;
          view.apply();
        }
      });
    });
  }

  document.querySelectorAll(".seachart__chart").forEach(setUp);
})();

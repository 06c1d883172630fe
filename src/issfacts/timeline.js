
// issfacts timeline page: optional. Without it every event still opens (<details>).
// It adds expand/collapse all, a filter by kind, opening the event a #e-ID link names,
// and opening every event before printing. It reads the page, never the network.
(function () {
  "use strict";
  var events = Array.prototype.slice.call(document.querySelectorAll("li.ev"));
  var controls = document.getElementById("controls");
  if (!controls) return;
  controls.hidden = false;
  var shown = document.getElementById("shown");
  var boxes = Array.prototype.slice.call(controls.querySelectorAll("input[data-kind]"));

  function setAll(open) {
    events.forEach(function (li) {
      if (!li.hidden) li.querySelector("details").open = open;
    });
  }
  document.getElementById("expand").addEventListener("click", function () { setAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { setAll(false); });

  function filter() {
    var hidden = {};
    boxes.forEach(function (box) { hidden[box.getAttribute("data-kind")] = !box.checked; });
    var count = 0;
    events.forEach(function (li) {
      li.hidden = hidden[li.getAttribute("data-kind")] === true;
      if (!li.hidden) count += 1;
    });
    document.querySelectorAll(".group, section.year").forEach(function (part) {
      part.hidden = !part.querySelector("li.ev:not([hidden])");
    });
    shown.textContent = count === events.length ? "" : "Showing " + count + " of " + events.length + " events.";
  }
  boxes.forEach(function (box) { box.addEventListener("change", filter); });

  function openNamed() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.matches("li.ev")) {
      target.hidden = false;
      target.querySelector("details").open = true;
    }
  }
  window.addEventListener("hashchange", openNamed);
  openNamed();

  var before = null;
  window.addEventListener("beforeprint", function () {
    before = events.map(function (li) { return li.querySelector("details").open; });
    setAll(true);
  });
  window.addEventListener("afterprint", function () {
    if (before) events.forEach(function (li, n) { li.querySelector("details").open = before[n]; });
    before = null;
  });
})();

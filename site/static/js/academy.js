/* Site-wide behaviour: the phone menu, selects that submit their form (the language
   switch), print links, filter drawers, the scroll hint of wide tables. Pages work without it (the menu is then always open, the
   language form has its own button). No page has inline script: the site's
   Content-Security-Policy allows scripts from its static files only. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { if (select.form) select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
  // Filter drawers (<details class="filter-drawer">): open beside the results on a wide
  // screen, collapsed under the results' chips on a phone (≤ 640 px).
  var wide = window.matchMedia ? window.matchMedia("(min-width: 641px)") : null;
  function placeDrawers() {
    document.querySelectorAll("details.filter-drawer, details.filter-group").forEach(function (d) {
      if (wide && wide.matches) d.open = true;
      else if (d.classList.contains("filter-drawer")) d.open = false;
    });
  }
  placeDrawers();
  if (wide && wide.addEventListener) wide.addEventListener("change", placeDrawers);
  // Tables wider than the screen say that they scroll sideways.
  var hint = document.documentElement.getAttribute("data-scroll-hint");
  function markScrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (w) {
      w.classList.toggle("is-scrollable", w.scrollWidth > w.clientWidth + 2);
      if (hint) w.setAttribute("data-scroll-hint", hint);
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);
  var button = document.querySelector(".nav-button");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

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
  if (nav) fitMenu(nav);
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // A long menu on a wide screen keeps to one row: the items that do not fit go, in their order,
  // under 更多 (the page being shown stays in the row). On a phone the menu is a column of all items.
  function fitMenu(nav) {
    var menu = nav.querySelector("ul");
    var desktop = window.matchMedia ? window.matchMedia("(min-width: 761px)") : null;
    if (!menu || !desktop || menu.children.length < 2) return;
    var items = Array.prototype.slice.call(menu.children);
    var more = document.createElement("li");
    more.className = "nav-more";
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = nav.getAttribute("data-more-label") || "…";
    var sub = document.createElement("ul");
    details.appendChild(summary);
    details.appendChild(sub);
    more.appendChild(details);

    function oneRow() {
      var top = menu.firstElementChild.offsetTop;
      return Array.prototype.every.call(menu.children, function (li) { return li.offsetTop === top; });
    }
    function fit() {
      details.open = false;
      if (more.parentNode) menu.removeChild(more);
      items.forEach(function (li) { menu.appendChild(li); });
      // A crowded menu first takes the room of the bureau's name beside the brand (shown in the footer).
      nav.classList.remove("nav-crowded");
      if (!desktop.matches || oneRow()) return;
      nav.classList.add("nav-crowded");
      if (oneRow()) return;
      menu.appendChild(more);
      // The others give way first; a role's daily destinations (data-daily) only when nothing else is left.
      var shown = items.filter(function (li) { return !li.querySelector("a[aria-current]"); });
      var movable = shown.filter(function (li) { return !li.hasAttribute("data-daily"); }).reverse()
        .concat(shown.filter(function (li) { return li.hasAttribute("data-daily"); }).reverse());
      for (var i = 0; i < movable.length && !oneRow(); i++) {
        // keep the page order under 更多: each item goes before the first one that follows it in the menu
        var next = Array.prototype.find.call(sub.children, function (li) { return items.indexOf(li) > items.indexOf(movable[i]); });
        sub.insertBefore(movable[i], next || null);
      }
      summary.classList.toggle("has-badge", !!sub.querySelector(".nav-badge"));
    }
    fit();
    var timer = null;
    window.addEventListener("resize", function () { window.clearTimeout(timer); timer = window.setTimeout(fit, 100); });
    window.addEventListener("load", fit);
    document.addEventListener("click", function (event) { if (!more.contains(event.target)) details.open = false; });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) { details.open = false; summary.focus(); }
    });
  }
})();

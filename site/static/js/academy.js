/* Site-wide behaviour: the phone menu. Pages work without it (the menu is then always open). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var button = document.querySelector(".nav-button");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

/* Citation tooltips: the 原文 button pins the article text open; Escape closes it.
   Without this script the text still shows on keyboard focus and hover (CSS). */
(function () {
  function close(btn) {
    btn.setAttribute("aria-expanded", "false");
    btn.parentNode.classList.remove("cite-open");
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest(".cite-toggle");
    document.querySelectorAll(".cite-toggle[aria-expanded=true]").forEach(function (b) { if (b !== btn) close(b); });
    if (!btn) return;
    var open = btn.getAttribute("aria-expanded") !== "true";
    btn.setAttribute("aria-expanded", open ? "true" : "false");
    btn.parentNode.classList.toggle("cite-open", open);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      document.querySelectorAll(".cite-toggle[aria-expanded=true]").forEach(close);
    }
  });
})();

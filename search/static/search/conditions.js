/* Search conditions: a form sends only the conditions and filters that are filled in, so the
   address of a search stays short and shareable (an empty advanced row or "不限" is left out). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector(".advanced-rows")) return;
    form.querySelectorAll(".advanced-row").forEach(function (row) {
      var text = row.querySelector("input[name=c_q]");
      if (text && !text.value.trim()) {
        row.querySelectorAll("input, select").forEach(function (el) { el.disabled = true; });
      }
    });
    form.querySelectorAll("select, input[type=date]").forEach(function (el) {
      if (!el.disabled && !el.value && el.name !== "c_field") el.disabled = true;
    });
  });
  // Re-enable after the page is restored from the back/forward cache.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".advanced-rows input, .advanced-rows select, form select, form input[type=date]")
      .forEach(function (el) { el.disabled = false; });
  });
})();

/* Suggestions as you type for the search box (no dependencies).
   Without JavaScript the form still submits normally. */
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) return;
  var url = input.getAttribute("data-suggest-url");
  var timer = null, active = -1, items = [], seq = 0;

  function close() {
    list.hidden = true; list.innerHTML = ""; items = []; active = -1;
    input.setAttribute("aria-expanded", "false");
  }
  function render(suggestions) {
    list.innerHTML = ""; items = suggestions; active = -1;
    if (!suggestions.length) { close(); return; }
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option"); li.id = "search-sugg-" + i;
      var badge = document.createElement("span"); badge.className = "badge"; badge.textContent = s.type_label;
      var text = document.createElement("span"); text.textContent = s.title;
      li.appendChild(badge); li.appendChild(text);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
      list.appendChild(li);
    });
    list.hidden = false; input.setAttribute("aria-expanded", "true");
  }
  function go(i) {
    var s = items[i];
    if (s && s.url) { window.location.href = s.url; }
  }
  function highlight(i) {
    var lis = list.querySelectorAll("li");
    lis.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0) input.setAttribute("aria-activedescendant", "search-sugg-" + i);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (data) { if (mine === seq) render(data.suggestions || []); })
        .catch(close);
    }, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, -1)); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); go(active); }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();

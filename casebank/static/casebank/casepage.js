/* The case page's tools: the outline (目录) of the page's sections with the current one marked,
   find in page (查找: matches highlighted, 上一个/下一个 with a count), and the 收藏 star sent
   without leaving the page. Also asks before a form marked data-confirm drops a note.
   Without this script the page reads the same, the star and note forms post and come back,
   and the outline and the find box stay hidden (CSP: no inline script anywhere). */
(function () {
  "use strict";

  var wide = window.matchMedia ? window.matchMedia("(min-width: 1024px)") : null;

  // --- confirm before dropping a note ------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // --- star (收藏) -------------------------------------------------------------------------
  document.querySelectorAll("form[data-star]").forEach(function (form) {
    if (!window.fetch || !window.FormData) return;
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      event.preventDefault();
      var button = form.querySelector("button");
      var on = form.querySelector("input[name=on]");
      button.disabled = true;
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"Accept": "application/json"}})
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (data) {
          button.setAttribute("aria-pressed", data.starred ? "true" : "false");
          button.textContent = button.getAttribute(data.starred ? "data-label-on" : "data-label-off");
          on.value = data.starred ? "0" : "1";
          if (!data.starred) {  // the note went with the star
            form.removeAttribute("data-confirm");
            document.querySelectorAll("[data-note-text]").forEach(function (t) { t.value = ""; });
          }
          var status = form.querySelector("[data-star-status]");
          if (!status) {
            status = document.createElement("span");
            status.className = "sr-only";
            status.setAttribute("data-star-status", "");
            status.setAttribute("role", "status");
            form.appendChild(status);
          }
          status.textContent = data.message;
        })
        .catch(function () { form.submit(); })
        .then(function () { button.disabled = false; });
    });
  });

  var tools = document.querySelector("[data-case-tools]");
  if (!tools) return;
  var bar = tools.querySelector(".case-tools-bar");

  function barHeight() {
    return wide && wide.matches ? 0 : bar.getBoundingClientRect().height;
  }

  // --- outline (目录) ----------------------------------------------------------------------
  var outline = tools.querySelector("[data-outline]");
  var list = tools.querySelector("[data-outline-list]");
  var currentLabel = tools.querySelector("[data-outline-current]");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section[data-outline][id]"));
  var links = [];
  sections.forEach(function (section) {
    var heading = section.querySelector("h2");
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "#" + section.id;
    a.textContent = heading ? heading.textContent : section.id;
    li.appendChild(a);
    list.appendChild(li);
    links.push(a);
    a.addEventListener("click", function () { if (!(wide && wide.matches)) outline.open = false; });
  });
  if (sections.length) outline.hidden = false;

  function placeOutline() {
    if (sections.length) outline.open = !!(wide && wide.matches);
  }
  placeOutline();
  if (wide && wide.addEventListener) wide.addEventListener("change", placeOutline);

  var current = -1;
  function markCurrent() {
    // The current section is the last one whose top has passed a line just under the bar; at the
    // very bottom of the page, the last section that shows (it may be too short to reach the line).
    var line = barHeight() + 80;
    var index = -1;
    sections.forEach(function (section, i) {
      if (section.getBoundingClientRect().top <= line) index = i;
    });
    var doc = document.documentElement;
    if (sections.length && window.innerHeight + window.pageYOffset >= doc.scrollHeight - 2) {
      var last = sections.length - 1;
      if (sections[last].getBoundingClientRect().top < window.innerHeight) index = last;
    }
    if (index === current) return;
    current = index;
    links.forEach(function (a, i) {
      if (i === index) a.setAttribute("aria-current", "location");
      else a.removeAttribute("aria-current");
    });
    currentLabel.textContent = index >= 0 ? links[index].textContent : "";
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; markCurrent(); });
  }, {passive: true});
  markCurrent();

  // --- find in page (查找) ------------------------------------------------------------------
  var box = tools.querySelector("[data-find]");
  var toggle = tools.querySelector("[data-find-toggle]");
  var input = box.querySelector("input");
  var count = box.querySelector("[data-find-count]");
  var root = document.querySelector("main") || document.body;
  var hits = [];
  var at = -1;

  function showBox(show) {
    box.hidden = !show;
    toggle.setAttribute("aria-expanded", show ? "true" : "false");
    if (show) input.focus();
    else clear();
  }
  toggle.hidden = false;
  toggle.addEventListener("click", function () { showBox(box.hidden); });
  function placeBox() {
    if (wide && wide.matches) { box.hidden = false; toggle.hidden = true; }
    else { toggle.hidden = false; box.hidden = toggle.getAttribute("aria-expanded") !== "true"; }
  }
  placeBox();
  if (wide && wide.addEventListener) wide.addEventListener("change", placeBox);

  function skipped(node) {
    var el = node.parentNode;
    return !el || el.closest("script,style,textarea,select,button,[data-case-tools],[data-find-skip],.cite-pop,.sr-only,[hidden]");
  }

  function clear() {
    hits.forEach(function (mark) {
      var parent = mark.parentNode;
      if (!parent) return;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    hits = [];
    at = -1;
    count.textContent = "";
  }

  function search(term) {
    clear();
    term = term.trim();
    if (!term) return;
    var needle = term.toLowerCase();
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.nodeValue.toLowerCase().indexOf(needle) >= 0 && !skipped(node)
          ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var lower = text.toLowerCase();
      var from = 0;
      var found = lower.indexOf(needle, from);
      var fragment = document.createDocumentFragment();
      while (found >= 0) {
        fragment.appendChild(document.createTextNode(text.slice(from, found)));
        var mark = document.createElement("mark");
        mark.className = "find-hit";
        mark.textContent = text.slice(found, found + needle.length);
        fragment.appendChild(mark);
        hits.push(mark);
        from = found + needle.length;
        found = lower.indexOf(needle, from);
      }
      fragment.appendChild(document.createTextNode(text.slice(from)));
      node.parentNode.replaceChild(fragment, node);
    });
    if (hits.length) go(0);
    else count.textContent = box.getAttribute("data-none");
  }

  function go(index) {
    if (!hits.length) return;
    if (at >= 0 && hits[at]) hits[at].classList.remove("find-current");
    at = (index + hits.length) % hits.length;
    var mark = hits[at];
    mark.classList.add("find-current");
    count.textContent = (at + 1) + "/" + hits.length;
    var top = mark.getBoundingClientRect().top + window.pageYOffset - barHeight() - window.innerHeight / 3;
    window.scrollTo({top: Math.max(0, top), behavior: "auto"});
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(input.value); }, 200);
  });
  box.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      window.clearTimeout(timer);
      if (!hits.length || input.value.trim().toLowerCase() !== (hits[0].textContent || "").toLowerCase()) {
        search(input.value);
      } else {
        go(event.shiftKey ? at - 1 : at + 1);
      }
    } else if (event.key === "Escape" && !(wide && wide.matches)) {
      showBox(false);
      toggle.focus();
    }
  });
  box.querySelector("[data-find-next]").addEventListener("click", function () { go(at + 1); });
  box.querySelector("[data-find-prev]").addEventListener("click", function () { go(at - 1); });
})();

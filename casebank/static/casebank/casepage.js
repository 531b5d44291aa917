/* The case page's tools: the outline (目录) of the page's sections with the current one marked,
   find in page (查找: matches highlighted, 上一个/下一个 with a count; a match may run across a
   citation link), and the 收藏 star sent
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

  // Not searched: controls, hidden text, a citation's article pop-up and its status badge (so that
  // the sentence around a citation reads on as one text).
  function skipped(node) {
    var el = node.parentNode;
    return !el || el.closest("script,style,textarea,select,button,[data-case-tools],[data-find-skip],.cite-pop,.cite-badge,.sr-only,[hidden]");
  }

  // Text runs on across inline elements: a match may start in the text before a citation link
  // and end inside it or after it. A run ends at the edge of a block (paragraph, list item, cell).
  var blockCache = typeof Map === "function" ? new Map() : null;
  function blockOf(node) {
    var el = node.parentNode;
    while (el && el !== root) {
      var display = blockCache && blockCache.get(el);
      if (display === undefined) {
        display = window.getComputedStyle(el).display;
        if (blockCache) blockCache.set(el, display);
      }
      if (display.indexOf("inline") !== 0 && display !== "contents") return el;
      el = el.parentNode;
    }
    return root;
  }

  function hitText(hit) {
    return hit.map(function (mark) { return mark.textContent; }).join("");
  }

  function setCurrent(hit, on) {
    hit.forEach(function (mark) { mark.classList.toggle("find-current", on); });
  }

  function clear() {
    var parents = [];
    hits.forEach(function (hit) {
      hit.forEach(function (mark) {
        var parent = mark.parentNode;
        if (!parent) return;
        parent.replaceChild(document.createTextNode(mark.textContent), mark);
        if (parents.indexOf(parent) < 0) parents.push(parent);
      });
    });
    parents.forEach(function (parent) { parent.normalize(); });
    hits = [];
    at = -1;
    count.textContent = "";
  }

  // The visible text of the page as runs: {text, pos} where pos[i] = [node, offset] of text[i];
  // white space collapses to one space, as the browser shows it.
  function textRuns() {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return skipped(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var runs = [];
    var run = null;
    var block = null;
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var b = blockOf(node);
      if (!run || b !== block) {
        run = {text: "", pos: []};
        runs.push(run);
        block = b;
      }
      var value = node.nodeValue;
      var lower = value.toLowerCase();
      if (lower.length !== value.length) lower = value;
      for (var i = 0; i < lower.length; i++) {
        var ch = lower.charAt(i);
        if (/\s/.test(ch)) {
          if (!run.text || run.text.charAt(run.text.length - 1) === " ") continue;
          ch = " ";
        }
        run.text += ch;
        run.pos.push([node, i]);
      }
    }
    return runs;
  }

  function search(term) {
    clear();
    var needle = term.replace(/\s+/g, " ").trim().toLowerCase();
    if (!needle) return;
    var ranges = [];  // [node, start, end, hit index]
    textRuns().forEach(function (run) {
      var found = run.text.indexOf(needle);
      while (found >= 0) {
        var first = run.pos[found];
        var last = run.pos[found + needle.length - 1];
        var index = hits.length;
        hits.push([]);
        var started = false;
        for (var i = found; i < found + needle.length; i++) {
          var node = run.pos[i][0];
          if (started && ranges[ranges.length - 1][0] === node) continue;
          started = true;
          ranges.push([node, node === first[0] ? first[1] : 0,
                       node === last[0] ? last[1] + 1 : node.nodeValue.length, index]);
        }
        found = run.text.indexOf(needle, found + needle.length);
      }
    });
    // Wrap each node's pieces in <mark>, the node's pieces in order.
    var i = 0;
    while (i < ranges.length) {
      var node = ranges[i][0];
      var text = node.nodeValue;
      var fragment = document.createDocumentFragment();
      var from = 0;
      for (; i < ranges.length && ranges[i][0] === node; i++) {
        var r = ranges[i];
        if (r[2] <= r[1]) continue;
        fragment.appendChild(document.createTextNode(text.slice(from, r[1])));
        var mark = document.createElement("mark");
        mark.className = "find-hit";
        mark.textContent = text.slice(r[1], r[2]);
        fragment.appendChild(mark);
        hits[r[3]].push(mark);
        from = r[2];
      }
      fragment.appendChild(document.createTextNode(text.slice(from)));
      node.parentNode.replaceChild(fragment, node);
    }
    hits = hits.filter(function (hit) { return hit.length; });
    if (hits.length) go(0);
    else count.textContent = box.getAttribute("data-none");
  }

  function go(index) {
    if (!hits.length) return;
    if (at >= 0 && hits[at]) setCurrent(hits[at], false);
    at = (index + hits.length) % hits.length;
    var mark = hits[at][0];
    setCurrent(hits[at], true);
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
      var term = input.value.replace(/\s+/g, " ").trim().toLowerCase();
      if (!hits.length || term !== hitText(hits[0]).replace(/\s+/g, " ").toLowerCase()) {
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

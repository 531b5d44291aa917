/* Exam paper: answers kept on this device until the server acknowledges them, sent in order
   with their revision (also after a lost connection); the countdown with screen-reader
   announcements; and the integrity controls the exam switches on (leaving the page, idle,
   copy/paste, watermark). The server keeps the time and decides: this script only reports.
   Without JavaScript the page's form posts save the answers instead. */
(function () {
  "use strict";
  var form = document.getElementById("sitting-form");
  var cfgEl = document.getElementById("paper-config");
  if (!form || !cfgEl || !window.fetch) { return; }
  var cfg = JSON.parse(cfgEl.textContent);
  // The start answers with the paper itself: show the paper's own address (a reload or a
  // bookmark then opens the paper, not the start).
  if (cfg.pageUrl && window.history && history.replaceState &&
      window.location.pathname + window.location.search !== cfg.pageUrl) {
    history.replaceState(null, "", cfg.pageUrl);
  }
  var msg = cfg.messages;
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var KEY = "academy-paper-" + cfg.sitting;

  function fmt(text, n) { return text.replace("%(n)s", n); }
  function $(id) { return document.getElementById(id); }
  function fieldset(p) { return form.querySelector("fieldset.question[data-position='" + p + "']"); }

  // --- the queue of answers and events, kept in localStorage ------------------------------
  var ops = [];
  var busy = false, closed = false, offline = false, retryTimer = null, submitAfterFlush = false;
  var seq = cfg.seq;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]") || []; } catch (e) { return []; }
  }
  function persist() {
    try {
      if (ops.length) { window.localStorage.setItem(KEY, JSON.stringify(ops)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* private mode or full: the queue still lives in memory */ }
  }

  function responseOf(fs) {
    var p = fs.getAttribute("data-position"), t = fs.getAttribute("data-qtype"), pre = "q" + p + "-";
    function val(n) { var el = fs.querySelector("[name='" + pre + n + "']:checked"); return el ? el.value : null; }
    if (t === "single" || t === "truefalse") { return { choice: val("choice") }; }
    if (t === "multi") {
      return { choices: Array.prototype.map.call(fs.querySelectorAll("[name='" + pre + "choices']:checked"), function (e) { return e.value; }) };
    }
    if (t === "case") { return { text: fs.querySelector("[name='" + pre + "text']").value }; }
    if (t === "discretion") { return { level: val("level"), amount: fs.querySelector("[name='" + pre + "amount']").value }; }
    if (t === "casefile") { return casefileResponse(fs, pre); }
    return {};
  }

  // 案卷评查: {items: {key: {finding: "yes" | "no", deduction}}, conclusion} from the item marks.
  function casefileResponse(fs, pre) {
    var items = {};
    Array.prototype.forEach.call(fs.querySelectorAll(".casefile-item"), function (row) {
      var key = row.getAttribute("data-item");
      var f = row.querySelector("[name='" + pre + "f-" + key + "']:checked");
      var d = row.querySelector("[name='" + pre + "d-" + key + "']");
      if (f || (d && d.value.trim())) { items[key] = { finding: f ? f.value : null, deduction: d ? d.value : null }; }
    });
    var c = fs.querySelector("[name='" + pre + "conclusion']:checked");
    return { items: items, conclusion: c ? c.value : null };
  }

  function show(fs, r) {
    // Put a kept (not yet acknowledged) answer back into the form after a reload.
    var p = fs.getAttribute("data-position"), pre = "q" + p + "-";
    Array.prototype.forEach.call(fs.querySelectorAll("input[type=radio],input[type=checkbox]"), function (el) {
      if (el.name === pre + "choice") { el.checked = el.value === r.choice; }
      if (el.name === pre + "choices") { el.checked = (r.choices || []).indexOf(el.value) >= 0; }
      if (el.name === pre + "level") { el.checked = String(el.value) === String(r.level); }
      if (el.name === pre + "conclusion") { el.checked = el.value === r.conclusion; }
      if (el.name.indexOf(pre + "f-") === 0) {
        var e = (r.items || {})[el.name.slice(pre.length + 2)];
        el.checked = !!e && e.finding === el.value;
      }
    });
    Array.prototype.forEach.call(fs.querySelectorAll("input[name^='" + pre + "d-']"), function (el) {
      var e = (r.items || {})[el.name.slice(pre.length + 2)];
      el.value = e && e.deduction ? e.deduction : "";
    });
    var text = fs.querySelector("[name='" + pre + "text']"), amount = fs.querySelector("[name='" + pre + "amount']");
    if (text && typeof r.text === "string") { text.value = r.text; }
    if (amount && r.amount !== undefined && r.amount !== null) { amount.value = r.amount; }
  }

  function state(p, text, bad) {
    var fs = fieldset(p), el = fs && fs.querySelector(".save-state");
    if (el) { el.textContent = text; el.classList.toggle("is-error", !!bad); }
  }

  function revisionOf(p) {
    var fs = fieldset(p);
    if (fs) { return +fs.getAttribute("data-revision"); }
    for (var i = ops.length - 1; i >= 0; i--) { if (ops[i].t === "a" && ops[i].position === p) { return ops[i].revision; } }
    return 0;
  }

  function setRevision(p, rev) {
    var fs = fieldset(p);
    if (fs) {
      fs.setAttribute("data-revision", rev);
      var input = fs.querySelector("input[name='q" + p + "-rev']");
      if (input) { input.value = rev; }
    }
    ops.forEach(function (o) { if (o.t === "a" && o.position === p && !o.sending) { o.revision = rev; delete o.prior; } });
  }

  function keepAnswer(fs) {
    var p = +fs.getAttribute("data-position");
    var r = responseOf(fs);
    var waiting = null;
    ops.forEach(function (o) { if (o.t === "a" && o.position === p && !o.sending) { waiting = o; } });
    if (waiting) { waiting.response = r; }
    else { ops.push({ t: "a", position: p, revision: revisionOf(p), response: r }); }
    persist();
    state(p, offline ? msg.keptLocally : msg.saving);
  }

  function addEvent(kind, seconds) {
    seq += 1;
    ops.push({ t: "e", token: cfg.token, seq: seq, kind: kind, seconds: seconds === undefined ? null : seconds });
    persist();
    flush();
  }

  function post(target, body, keepalive) {
    return fetch(target, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body), keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (d) { return { status: r.status, data: d }; },
        function () { return { status: r.status, data: null }; });
    });
  }

  function remove(op) {
    var i = ops.indexOf(op);
    if (i >= 0) { ops.splice(i, 1); }
    persist();
  }

  function setOffline(on) {
    var banner = $("offline-banner");
    if (on === offline) { return; }
    offline = on;
    if (!banner) { return; }
    if (on) { banner.textContent = msg.offline; banner.hidden = false; }
    else { banner.textContent = msg.sending; }
  }

  function allSent() {
    var banner = $("offline-banner");
    if (banner && !banner.hidden && !offline) {
      banner.textContent = msg.allSent;
      setTimeout(function () { if (!offline && !ops.length) { banner.hidden = true; } }, 4000);
    }
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 4000);
  }

  function flush() {
    if (busy || closed || !ops.length) {
      if (!ops.length && !busy) { allSent(); if (submitAfterFlush) { submitNow(); } }
      return;
    }
    var op = ops[0];
    busy = true;
    op.sending = true;
    var req = op.t === "a"
      ? post(url, { position: op.position, revision: op.revision, response: op.response, prior: op.prior || null })
      : post(cfg.eventUrl, { token: op.token, seq: op.seq, kind: op.kind, seconds: op.seconds }, true);
    req.then(function (res) {
      busy = false;
      op.sending = false;
      setOffline(false);
      if (res.data === null || res.status >= 500) { retryLater(); return; }
      if (op.t === "a") { answered(op, res); } else { reported(op, res); }
      flush();
    }, function () {
      // No answer from the server: the request may or may not have arrived.
      busy = false;
      op.sending = false;
      if (op.t === "a") {
        op.prior = op.response;
        var later = ops.filter(function (o) { return o !== op && o.t === "a" && o.position === op.position; })[0];
        if (later) { later.prior = op.response; later.revision = op.revision; remove(op); }
        state(op.position, msg.keptLocally, true);
      }
      persist();
      setOffline(true);
      retryLater();
    });
  }

  function answered(op, res) {
    var d = res.data;
    remove(op);
    if (d.ok) {
      setRevision(op.position, d.revision);
      state(op.position, msg.saved + " " + d.saved_at);
      var link = document.querySelector(".qnav a[data-position='" + op.position + "']");
      if (link) { link.classList.add("is-answered"); }
      return;
    }
    if (d.revision !== undefined) { setRevision(op.position, d.revision); }
    state(op.position, d.message || msg.notSaved, true);
    if (d.error === "late" || d.error === "closed") { lock(d.message, cfg.resultUrl); }
  }

  function reported(op, res) {
    var d = res.data;
    remove(op);
    if (d.forced) { lock(d.message || msg.forced, d.url); window.location = d.url; return; }
    if (d.status === "closed") { lock(d.message, d.url); return; }
    if (!d.ok && d.message) { warn(d.message); }
    if (d.warning) { warn(d.warning); }
  }

  function warn(text) {
    var el = $("integrity-warning");
    if (el) { el.textContent = text; el.hidden = false; }
  }

  function lock(message, link) {
    closed = true;
    ops = [];
    persist();
    Array.prototype.forEach.call(form.elements, function (el) { if (el.type !== "hidden") { el.disabled = true; } });
    var banner = document.createElement("p");
    banner.className = "banner banner-danger";
    banner.setAttribute("role", "alert");
    banner.textContent = message + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "→";
      banner.appendChild(a);
    }
    form.parentNode.insertBefore(banner, form);
  }

  // Answers kept from an earlier page of this sitting; events of an earlier page are void.
  ops = load().filter(function (o) { return o.t === "a" || o.token === cfg.token; });
  ops.forEach(function (o) {
    o.sending = false;
    var fs = o.t === "a" && fieldset(o.position);
    if (fs) { show(fs, o.response); state(o.position, msg.keptLocally); }
  });
  persist();

  var timers = {};
  form.addEventListener("change", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (fs) { keepAnswer(fs); flush(); }
  });
  form.addEventListener("input", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (!fs || e.target.type === "radio" || e.target.type === "checkbox") { return; }
    keepAnswer(fs);
    var p = fs.getAttribute("data-position");
    clearTimeout(timers[p]);
    timers[p] = setTimeout(flush, 1200);
  });

  window.addEventListener("online", function () { setOffline(false); flush(); });
  window.addEventListener("offline", function () { setOffline(true); });

  // Offline, moving to another question or page would lose this one: stay here.
  var navigating = false;
  form.addEventListener("submit", function (e) {
    if (offline || navigator.onLine === false) { e.preventDefault(); setOffline(true); }
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (a && (offline || navigator.onLine === false)) { e.preventDefault(); setOffline(true); }
  });
  window.addEventListener("beforeunload", function () { navigating = true; });
  window.addEventListener("pageshow", function () { navigating = false; });

  // --- leaving the page: counted and timed (the server decides what follows) ---------------
  // Going to another question also hides the page; the leave is reported a moment later,
  // when this page is still there, so moving on within the paper never counts.
  if (cfg.trackLeaving) {
    var awaySince = null, leaveSent = false;
    var goAway = function () {
      if (awaySince !== null || navigating || closed) { return; }
      awaySince = Date.now();
      setTimeout(function () {
        if (awaySince !== null && !navigating && !closed && !leaveSent) { leaveSent = true; addEvent("leave"); }
      }, 150);
    };
    var hidden = function () { return document.visibilityState === "hidden" || document.hidden === true; };
    var comeBack = function () {
      if (awaySince === null || hidden()) { return; }
      var seconds = Math.max(0, Math.round((Date.now() - awaySince) / 1000));
      awaySince = null;
      if (leaveSent) { leaveSent = false; addEvent("return", seconds); }
    };
    document.addEventListener("visibilitychange", function () {
      if (hidden()) { goAway(); } else { comeBack(); }
    });
    window.addEventListener("blur", goAway);
    window.addEventListener("focus", comeBack);
  }

  // --- idle: a countdown dialog, then the server may submit -------------------------------
  if (cfg.idleSeconds) {
    var lastActive = Date.now(), warnedAt = null, timedOut = false;
    var dialog = $("idle-dialog"), body = $("idle-body"), button = $("idle-continue");
    $("idle-title").textContent = msg.idleTitle;
    button.textContent = msg.idleContinue;
    var active = function () { if (warnedAt === null) { lastActive = Date.now(); } };
    ["mousemove", "mousedown", "keydown", "touchstart", "scroll", "wheel", "input"].forEach(function (name) {
      document.addEventListener(name, active, { passive: true, capture: true });
    });
    button.addEventListener("click", function () {
      warnedAt = null;
      timedOut = false;
      dialog.hidden = true;
      lastActive = Date.now();
      addEvent("idle_resume");
    });
    setInterval(function () {
      if (closed) { return; }
      var now = Date.now();
      if (warnedAt === null) {
        if (now - lastActive >= cfg.idleSeconds * 1000) {
          warnedAt = now;
          dialog.hidden = false;
          body.textContent = fmt(msg.idleBody, cfg.idleCountdown);
          button.focus();
          addEvent("idle_warning", Math.round((now - lastActive) / 1000));
        }
        return;
      }
      var left = Math.max(0, cfg.idleCountdown - Math.floor((now - warnedAt) / 1000));
      body.textContent = left > 0 ? fmt(msg.idleBody, left) : msg.timeUp;
      if (left === 0 && !timedOut) {
        timedOut = true;
        addEvent("idle_timeout", Math.round((now - warnedAt) / 1000));
      }
    }, 1000);
  }

  // --- copy, cut, paste and the context menu ------------------------------------------------
  if (cfg.blockCopy) {
    ["copy", "cut", "paste", "contextmenu", "dragstart", "drop"].forEach(function (name) {
      document.addEventListener(name, function (e) {
        if (!e.target.closest || !e.target.closest("#sitting-form, .sitting-bar")) { return; }
        e.preventDefault();
        state(+((e.target.closest("fieldset.question") || form).getAttribute("data-position") || 0), msg.blocked, true);
      });
    });
  }

  // --- watermark: officer's name and the current time ----------------------------------------
  var wm = $("watermark");
  if (wm) {
    var name = wm.getAttribute("data-name");
    var stamp = function () {
      var d = new Date(), z = function (n) { return (n < 10 ? "0" : "") + n; };
      var text = name + " " + d.getFullYear() + "-" + z(d.getMonth() + 1) + "-" + z(d.getDate()) + " " + z(d.getHours()) + ":" + z(d.getMinutes());
      Array.prototype.forEach.call(wm.children, function (s) { s.textContent = text; });
    };
    stamp();
    setInterval(stamp, 30000);
  }

  // --- countdown; at zero the paper submits itself (after sending what it keeps) -------------
  var submitting = false;
  function submitNow() {
    submitAfterFlush = true;
    if (closed) { navigating = true; window.location = cfg.resultUrl; return; }
    if (ops.length || busy) { flush(); return; }
    if (submitting) { return; }
    submitting = true;
    var fd = new FormData();
    fd.append("csrfmiddlewaretoken", csrf);
    fetch(cfg.submitUrl, { method: "POST", body: fd, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) { navigating = true; window.location = d.url || cfg.resultUrl; },
        function () {
          submitting = false;
          setOffline(true);
          $("offline-banner").textContent = msg.timeUpOffline;
          retryLater();
        });
  }

  var cd = $("countdown"), announcer = $("countdown-announce");
  if (cd) {
    var end = Date.now() + 1000 * (+cd.getAttribute("data-seconds-left"));
    var marks = [600, 300, 60, 30], spoken = {};
    var startLeft = Math.round((end - Date.now()) / 1000);
    marks.forEach(function (m) { if (startLeft <= m) { spoken[m] = true; } });
    var iv;
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      cd.textContent = msg.left + " " + (h ? h + ":" : "") + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
      cd.classList.toggle("is-low", left < 300);
      marks.forEach(function (mark) {
        if (!spoken[mark] && left <= mark && left > 0) {
          spoken[mark] = true;
          if (announcer) { announcer.textContent = mark >= 60 ? fmt(msg.minutes, mark / 60) : fmt(msg.seconds, mark); }
        }
      });
      if (left === 0) {
        clearInterval(iv);
        cd.textContent = msg.timeUp;
        if (offline || navigator.onLine === false) { setOffline(true); $("offline-banner").textContent = msg.timeUpOffline; }
        submitNow();
      }
    };
    iv = setInterval(tick, 1000);
    tick();
  }

  flush();
})();

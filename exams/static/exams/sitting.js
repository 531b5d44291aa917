/* Exam sitting: autosave each answer as the officer works, and a countdown.
   The server keeps the time and decides; this script only reports it.
   Without JavaScript the page's form posts save the answers instead. */
(function () {
  "use strict";
  var form = document.getElementById("sitting-form");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var queues = {};

  function responseOf(fs) {
    var p = fs.getAttribute("data-position"), t = fs.getAttribute("data-qtype"), pre = "q" + p + "-";
    function val(n) { var el = fs.querySelector("[name='" + pre + n + "']:checked"); return el ? el.value : null; }
    if (t === "single" || t === "truefalse") { return { choice: val("choice") }; }
    if (t === "multi") {
      return { choices: Array.prototype.map.call(fs.querySelectorAll("[name='" + pre + "choices']:checked"), function (e) { return e.value; }) };
    }
    if (t === "case") { return { text: fs.querySelector("[name='" + pre + "text']").value }; }
    if (t === "discretion") { return { level: val("level"), amount: fs.querySelector("[name='" + pre + "amount']").value }; }
    return {};
  }

  function state(fs, text, bad) {
    var el = fs.querySelector(".save-state");
    if (el) { el.textContent = text; el.classList.toggle("is-error", !!bad); }
  }

  function save(fs) {
    var p = fs.getAttribute("data-position");
    var q = queues[p] || (queues[p] = { busy: false, again: false });
    if (q.busy) { q.again = true; return q.promise; }
    q.busy = true;
    state(fs, "保存中…");
    var body = JSON.stringify({ position: +p, revision: +fs.getAttribute("data-revision"), response: responseOf(fs) });
    q.promise = fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (r) { return r.json().then(function (d) { return { status: r.status, data: d }; }); })
      .then(function (res) {
        var d = res.data;
        if (d.ok) {
          fs.setAttribute("data-revision", d.revision);
          fs.querySelector("input[name='q" + p + "-rev']").value = d.revision;
          state(fs, "已保存 " + d.saved_at);
          markAnswered(p, true);
        } else {
          state(fs, d.message || "未保存", true);
          if (d.error === "late" || d.error === "closed") { lock(d.message); }
        }
      }).catch(function () { state(fs, "网络异常，答案暂未保存，将在下次操作时重试", true); })
      .then(function () {
        q.busy = false;
        if (q.again) { q.again = false; save(fs); }
      });
    return q.promise;
  }

  function markAnswered(p) {
    var link = document.querySelector(".qnav a[href='?q=" + p + "']");
    if (link) { link.classList.add("is-answered"); }
  }

  function lock(message) {
    Array.prototype.forEach.call(form.elements, function (el) { if (el.type !== "hidden") { el.disabled = true; } });
    var banner = document.createElement("p");
    banner.className = "banner banner-danger";
    banner.textContent = message;
    form.parentNode.insertBefore(banner, form);
  }

  var timers = {};
  form.addEventListener("change", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (fs) { save(fs); }
  });
  form.addEventListener("input", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (!fs || e.target.type === "radio" || e.target.type === "checkbox") { return; }
    var p = fs.getAttribute("data-position");
    clearTimeout(timers[p]);
    timers[p] = setTimeout(function () { save(fs); }, 1200);
  });

  // Countdown from the server's figure; on zero the server's clock takes over.
  var cd = document.getElementById("countdown");
  if (cd) {
    var end = Date.now() + 1000 * (+cd.getAttribute("data-seconds-left"));
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      cd.textContent = "剩余 " + (h ? h + ":" : "") + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
      cd.classList.toggle("is-low", left < 300);
      if (left === 0) {
        clearInterval(iv);
        cd.textContent = "时间到，正在交卷…";
        var pending = Array.prototype.map.call(form.querySelectorAll("fieldset.question"), save);
        Promise.all(pending).then(function () {
          var fd = new FormData(); fd.append("csrfmiddlewaretoken", csrf);
          return fetch(form.action.replace(/\?.*$/, "") + "submit/", { method: "POST", body: fd, credentials: "same-origin" });
        }).then(function (r) { window.location = r.url; });
      }
    };
    var iv = setInterval(tick, 1000);
    tick();
  }
})();

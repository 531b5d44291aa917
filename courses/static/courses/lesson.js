/* Lesson page: self-check feedback (practice, never sent anywhere), study time (watched or active
   reading seconds sent as heartbeats) and the completion countdown. */
(function () {
  "use strict";
  document.querySelectorAll("[data-self-check]").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });  // practice only: never sent
    var button = form.querySelector("[data-self-check-submit]");
    var result = form.querySelector(".self-check-result");
    var explanation = form.querySelector(".self-check-explanation");
    button.addEventListener("click", function () {
      var chosen = form.querySelector("input[type=radio]:checked");
      if (!chosen) { result.hidden = false; result.className = "self-check-result bad"; result.textContent = form.getAttribute("data-msg-choose"); return; }
      form.querySelectorAll(".self-check-option").forEach(function (label) { label.classList.remove("is-correct", "is-wrong"); });
      var right = chosen.hasAttribute("data-correct");
      var correctInput = form.querySelector("input[data-correct]");
      if (correctInput) correctInput.closest("label").classList.add("is-correct");
      if (!right) chosen.closest("label").classList.add("is-wrong");
      result.hidden = false;
      result.className = "self-check-result " + (right ? "ok" : "bad");
      result.textContent = form.getAttribute(right ? "data-msg-right" : "data-msg-wrong");
      explanation.hidden = false;
    });
  });
  var box = document.getElementById("completion");
  if (!box) return;
  var btn = box.querySelector("[data-complete-button]");
  var counter = box.querySelector("[data-countdown]");
  var waitLine = box.querySelector(".completion-wait");
  var wait = parseInt(box.getAttribute("data-wait") || "0", 10);

  function fmt(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    if (seconds < 60) return box.getAttribute("data-fmt-seconds").replace("%(s)s", String(seconds));
    var s = seconds % 60;
    return box.getAttribute("data-fmt-minutes").replace("%(m)s", String(Math.floor(seconds / 60)))
      .replace("%(s)s", (s < 10 ? "0" : "") + s);
  }
  function showWait() {
    if (counter) counter.textContent = fmt(wait);
  }
  function unlock() {
    if (btn) btn.disabled = false;
    if (waitLine) waitLine.hidden = true;
  }

  var url = box.getAttribute("data-heartbeat-url");
  if (!url) {
    /* A lesson that counts no study time: a plain countdown from the first opening. */
    if (btn && wait > 0) {
      btn.disabled = true;
      var timer = setInterval(function () {
        wait -= 1;
        showWait();
        if (wait <= 0) { clearInterval(timer); unlock(); }
      }, 1000);
    }
    return;
  }

  /* Study time: count watched (video) or active (reading) seconds, send them every
     data-interval seconds; the server decides what is credited (courses/studytime.py). */
  var mode = box.getAttribute("data-mode");
  var interval = parseInt(box.getAttribute("data-interval") || "15", 10);
  var idle = parseInt(box.getAttribute("data-idle") || "60", 10) * 1000;
  var slack = parseFloat(box.getAttribute("data-seek-slack") || "2");
  var note = box.querySelector("[data-study-note]");
  var activeText = box.querySelector("[data-active-text]");
  var video = mode === "video" ? document.querySelector(".lesson-body video") : null;
  if (mode === "video" && !video) mode = "reading";  // a linked video plays elsewhere: count reading here
  var furthest = parseFloat(box.getAttribute("data-furthest") || "0") || 0;
  var position = parseFloat(box.getAttribute("data-position") || "0") || 0;
  var pending = 0, sinceSend = 0, sending = false, lastInput = Date.now(), idleShown = false;
  if (btn && wait > 0) btn.disabled = true;

  function say(message) {
    if (!note) return;
    note.textContent = message || "";
    note.hidden = !message;
  }
  function visible() { return document.visibilityState === "visible"; }
  function counting() {
    if (!visible()) return false;
    if (video) return !video.paused && !video.ended && !video.seeking && video.readyState >= 2;
    return Date.now() - lastInput <= idle;
  }

  ["scroll", "keydown", "pointerdown", "pointermove", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, function () {
      lastInput = Date.now();
      if (idleShown) { idleShown = false; say(""); }
    }, { passive: true, capture: true });
  });

  if (video) {
    video.setAttribute("data-study-tracked", "");
    var lastTime = 0;
    video.addEventListener("loadedmetadata", function () {
      if (position > 0 && position < (video.duration || Infinity) - 1) video.currentTime = Math.min(position, furthest);
      lastTime = video.currentTime;
    });
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      // Only normal playback moves the furthest point (a jump forward is handled by "seeking").
      if (!video.seeking && t >= lastTime && t - lastTime <= 3) furthest = Math.max(furthest, t);
      lastTime = t;
      position = t;
    });
    video.addEventListener("seeking", function () {
      if (video.currentTime > furthest + slack) {
        video.currentTime = furthest;
        say(box.getAttribute("data-msg-seek"));
      }
      lastTime = video.currentTime;
    });
    video.addEventListener("play", function () { say(""); });
  }

  document.addEventListener("visibilitychange", function () {
    if (visible()) return;
    if (video && !video.paused) {
      video.pause();
      say(box.getAttribute("data-msg-hidden"));
    }
    send(true);
  });
  window.addEventListener("pagehide", function () { send(true); });

  function send(leaving) {
    if (sending && !leaving) return;
    if (!pending && !(video && leaving)) return;
    var claimed = pending;
    pending = 0;
    sinceSend = 0;
    var body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", box.getAttribute("data-csrf"));
    body.set("seconds", String(claimed));
    if (video) {
      body.set("position", video.currentTime.toFixed(1));
      body.set("furthest", furthest.toFixed(1));
      if (isFinite(video.duration)) body.set("duration", video.duration.toFixed(1));
    }
    sending = true;
    fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: !!leaving,
                 headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) return data;
          if (response.status >= 500) pending += claimed;  // try again with the next heartbeat
          if (data.error) say(data.error.message);
          return null;
        });
      })
      .then(function (data) {
        if (!data) return;
        wait = data.remaining_seconds;
        showWait();
        if (activeText) activeText.textContent = fmt(data.active_seconds);
        if (video) furthest = Math.max(Math.min(furthest, data.video_furthest + slack), data.video_furthest);
        if (wait <= 0) unlock();
      })
      .catch(function () { pending += claimed; })  // offline: kept for the next heartbeat
      .then(function () { sending = false; });
  }

  setInterval(function () {
    if (counting()) {
      pending += 1;
      if (wait > 0) {
        wait -= 1;
        showWait();
        if (wait === 0) send(false);  // let the server confirm before the button unlocks
      }
    } else if (!video && visible() && !idleShown && Date.now() - lastInput > idle) {
      idleShown = true;
      say(box.getAttribute("data-msg-idle"));
    }
    sinceSend += 1;
    if (sinceSend >= interval) send(false);
  }, 1000);
})();

/* Lesson page: self-check feedback (practice, never sent anywhere) and the completion countdown. */
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
  var btn = box && box.querySelector("[data-complete-button]");
  if (!btn) return;
  var wait = parseInt(box.getAttribute("data-wait") || "0", 10);
  var counter = box.querySelector("[data-countdown]");
  var waitLine = box.querySelector(".completion-wait");
  if (wait > 0) {
    btn.disabled = true;
    var timer = setInterval(function () {
      wait -= 1;
      if (counter) counter.textContent = String(Math.max(wait, 0));
      if (wait <= 0) { clearInterval(timer); btn.disabled = false; if (waitLine) waitLine.hidden = true; }
    }, 1000);
  }
})();

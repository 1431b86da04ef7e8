/* Reader comments: the characters-left counter, a fresh security code on
   request, and the proof-of-work alternative to the image code. The form
   works without this file; it only makes it friendlier. */
(function () {
  "use strict";

  function counter(form) {
    var area = form.querySelector("textarea[data-counter]");
    if (!area) return;
    var out = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!out || !max) return;
    var template = out.getAttribute("data-template") || "{n}";
    function update() {
      // Count as the server does: code points, a line break as one.
      var left = max - Array.from(area.value.replace(/\r\n/g, "\n")).length;
      out.textContent = template.replace("{n}", String(Math.max(left, 0)));
      out.classList.toggle("over", left < max / 10);
    }
    area.addEventListener("input", update);
    update();
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer))
      .map(function (b) { return b.toString(16).padStart(2, "0"); })
      .join("");
  }

  /* Finds the number behind the challenge (SHA-256 of salt + number). */
  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var n = 0; n < challenge.max; n++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n));
      if (hex(digest) === challenge.challenge) return n;
    }
    return null;
  }

  function security(form) {
    var box = form.querySelector(".security-code");
    if (!box) return;
    var image = box.querySelector(".code-image");
    var input = box.querySelector("input[name=code]");
    var proof = box.querySelector("input[name=proof]");
    var tools = box.querySelector(".code-tools");
    var status = box.querySelector(".code-status");
    var canWork = window.crypto && crypto.subtle && window.fetch;
    if (tools) tools.hidden = false;
    var fresh = box.querySelector(".code-new");
    if (fresh) {
      fresh.addEventListener("click", function () {
        if (!image) return showImage();
        image.src = image.src.split("?")[0] + "?r=" + Date.now();
        input.value = "";
        input.focus();
      });
    }
    async function prove() {
      status.textContent = status.getAttribute("data-working");
      try {
        var response = await fetch(form.getAttribute("data-challenge-url"), { credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        var number = await solve(await response.json());
        if (number === null) throw new Error("unsolved");
        proof.value = String(number);
        // The image's code is replaced by this one: no need to type it.
        if (image) image.hidden = true;
        input.hidden = true;
        if (tools) tools.hidden = true;
        status.textContent = status.getAttribute("data-done");
      } catch (error) {
        status.textContent = status.getAttribute("data-failed");
        showImage();
      }
    }
    /* Where the work is the site's choice, the picture is drawn only when
       the work fails (each picture is a new code). */
    function showImage() {
      if (image) return;
      image = document.createElement("img");
      image.className = "code-image";
      image.width = 200;
      image.height = 64;
      image.alt = box.getAttribute("data-code-alt") || "";
      image.src = box.getAttribute("data-code-url");
      box.insertBefore(image, input);
      input.hidden = false;
    }
    var alternative = box.querySelector(".code-alternative");
    if (!canWork) {
      if (alternative) alternative.hidden = true;
      showImage();
      return;
    }
    if (alternative) alternative.addEventListener("click", prove);
    if (form.getAttribute("data-security") === "pow") {
      // Only readers who start writing ask for work: a page view costs
      // no challenge, and the work (which grows with the rate challenges
      // are asked for) tracks comments, not readers.
      var started = false;
      form.addEventListener("focusin", function () {
        if (started) return;
        started = true;
        prove();
      });
    }
  }

  function init() {
    var forms = document.querySelectorAll("form.comment-form");
    for (var i = 0; i < forms.length; i++) {
      try { counter(forms[i]); } catch (e) { /* the form works without it */ }
      try { security(forms[i]); } catch (e) { /* the image code still works */ }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

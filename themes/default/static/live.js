// Live coverage: an open page asks for the entries after the newest it
// has, every few seconds, and adds them at the top. The address is the
// same for every reader who is up to date, so caches answer it; without
// this script the page is complete and a reload shows new entries.
(function () {
  "use strict";
  var live = document.querySelector("[data-live-url]");
  if (!live || !window.fetch || !window.DOMParser) {
    return;
  }
  var list = live.querySelector(".live-entries");
  var latest = parseInt(live.getAttribute("data-latest"), 10) || 0;
  var seconds = parseInt(live.getAttribute("data-poll-seconds"), 10) || 10;
  var url = live.getAttribute("data-live-url");

  function add(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".live-entries");
    if (!fresh) {
      return;
    }
    var items = Array.prototype.slice.call(fresh.children);
    // Newest first in the answer: the oldest of them goes in first.
    for (var i = items.length - 1; i >= 0; i--) {
      var item = items[i];
      var old = item.id && document.getElementById(item.id);
      if (old) {
        old.parentNode.replaceChild(document.importNode(item, true), old);
      } else {
        list.insertBefore(document.importNode(item, true), list.firstChild);
      }
    }
    // Entries an editor removed since the page was loaded.
    (fresh.getAttribute("data-removed") || "").split(" ").forEach(function (seq) {
      var gone = seq && document.getElementById("entry-" + seq);
      if (gone && gone.parentNode === list) {
        list.removeChild(gone);
      }
    });
    latest = Math.max(latest, parseInt(fresh.getAttribute("data-latest"), 10) || latest);
    live.setAttribute("data-latest", String(latest));
  }

  function poll() {
    if (document.hidden) {
      return later();
    }
    fetch(url + "?after=" + latest, { credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (html) {
          add(html);
        }
      })
      .catch(function () {})
      .then(later);
  }

  function later() {
    window.setTimeout(poll, seconds * 1000);
  }

  later();
})();

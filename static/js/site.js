/* Site behaviour, all progressive enhancement: every page works without it. No libraries, no CDN.

   Suggestions as you type for any <input data-suggest> search box: fills a <datalist> from
   /api/search/suggest/. Works without it (the form still submits); no libraries, no CDN. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) return;
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value.length < 2) { list.innerHTML = ""; return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(value), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
          .then(function (data) {
            if (ticket !== latest) return;  // a newer keystroke has already asked
            list.innerHTML = "";
            (data.suggestions || []).forEach(function (text) {
              var option = document.createElement("option");
              option.value = text;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a nicety; searching still works */ });
      }, 150);
    });
  });
})();

/* Policy reading. The contents follow the reader: the link of the section being read gets aria-current.
   Each section heading gets a "Copy link" button (the plain "Link to this section" link stays for
   browsers without the clipboard API). */
(function () {
  "use strict";
  var toc = document.querySelector(".toc");
  var sections = Array.prototype.slice.call(document.querySelectorAll(".policy-section[id]"));
  if (toc && sections.length) {
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
    var pending = false;
    var mark = function () {
      pending = false;
      // The section being read is the last one whose heading has passed the top third of the screen.
      var line = window.innerHeight / 3;
      var current = null;
      sections.forEach(function (section) {
        if (section.getBoundingClientRect().top <= line) current = section.id;
      });
      Object.keys(links).forEach(function (id) {
        if (id === current) links[id].setAttribute("aria-current", "true");
        else links[id].removeAttribute("aria-current");
      });
    };
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(mark); }
    }, {passive: true});
    mark();
  }

  var live = document.getElementById("copy-status");
  if (!live || !navigator.clipboard) return;
  document.querySelectorAll("[data-copy-anchor]").forEach(function (heading) {
    var id = heading.getAttribute("data-copy-anchor");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", "Copy link to " + heading.textContent.trim());
    button.addEventListener("click", function () {
      var url = location.origin + location.pathname + "#" + id;
      navigator.clipboard.writeText(url).then(function () {
        live.textContent = "Link to \u201c" + heading.textContent.trim() + "\u201d copied.";
      }, function () {
        live.textContent = "Could not copy. The link is: " + url;
      });
    });
    heading.parentNode.insertBefore(button, heading.nextSibling);
  });
})();

/* A Print button where there is JavaScript to press it (the browser's own print works everywhere). */
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

/* Suggestions as you type for any <input data-suggest> search box: fills a <datalist> from
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

// Simpul: the little behaviour that HTML alone cannot give.
(function () {
  "use strict";
  // Ask before a destructive form is sent: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // A select that reloads another select's options (HTMX) also clears the
  // selects below it, so a stale choice never stays visible.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.tagName === "SELECT" && target.dataset.clears) {
      target.dataset.clears.split(",").forEach(function (id) {
        var below = document.getElementById(id.trim());
        if (below) {
          below.innerHTML = "<option value=\"\">—</option>";
        }
      });
    }
  });
})();

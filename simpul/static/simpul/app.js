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
  // Parts of a form that apply to one answer only (data-show-for="value" of the
  // radio group named by data-show-name, default "status") hide for the others.
  function showFor(root) {
    root.querySelectorAll("[data-show-for]").forEach(function (part) {
      var name = part.dataset.showName || "status";
      var chosen = root.querySelector("input[name=" + name + "]:checked");
      part.hidden = !!chosen && chosen.value !== part.dataset.showFor;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.form && event.target.form.querySelector("[data-show-for]")) {
      showFor(event.target.form);
    }
  });
  document.querySelectorAll("form").forEach(showFor);
})();

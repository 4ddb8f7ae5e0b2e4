// Live progress of an import run: polls the run's small JSON endpoint
// (data-progress-url) and reloads the report when the run ends.  A static
// file, since the site's Content-Security-Policy allows no inline scripts.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("run-progress-bar");
  var text = document.getElementById("run-progress-text");
  var current = document.getElementById("run-current-file");
  var status = document.getElementById("run-status");
  var errors = document.getElementById("run-errors");

  function show(data) {
    bar.setAttribute("max", String(Math.max(data.total, 1)));
    bar.setAttribute("value", String(data.done));
    text.textContent = data.done + " / " + data.total + "，稿件 " + data.articles +
      " 篇，待核查 " + data.flagged + " 篇";
    current.textContent = data.current_file || "—";
    status.textContent = data.status_label;
    errors.textContent = "";
    data.errors.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.error;
      errors.appendChild(li);
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

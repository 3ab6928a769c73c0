// Shows the points a criterion's inputs would yield while the person types. The form works
// without this script (the server computes points on save); this only adds the preview.
(function () {
  "use strict";
  var timers = {};
  function fields(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "_csrf" || el.name === "version" || el.name === "explanation") return;
      if (el.type === "checkbox") { if (el.checked) out[el.name] = el.value; return; }
      out[el.name] = el.value;
    });
    return out;
  }
  function preview(form) {
    var leaf = form.getAttribute("data-leaf");
    var cell = document.getElementById("points-" + leaf);
    var token = form.querySelector("input[name=_csrf]");
    fetch(form.getAttribute("data-preview"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token ? token.value : "" },
      body: JSON.stringify(fields(form))
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (p) {
      if (!p || !cell) return;
      cell.textContent = p.message ? "⚠ " + p.message : p.pointsDisplay;
      cell.title = p.message ? "" : "Điểm tạm tính, chưa lưu";
    }).catch(function () {});
  }
  document.addEventListener("input", function (e) {
    var form = e.target.form;
    if (!form || !form.hasAttribute("data-preview") || e.target.name === "explanation") return;
    var leaf = form.getAttribute("data-leaf");
    clearTimeout(timers[leaf]);
    timers[leaf] = setTimeout(function () { preview(form); }, 250);
  });
  document.addEventListener("change", function (e) {
    var form = e.target.form;
    if (form && form.hasAttribute("data-preview") && e.target.tagName === "SELECT") preview(form);
  });
})();

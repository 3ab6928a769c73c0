// Checks a unit's periodic report while it is typed: after a short pause the typed figures go
// to the server's check (the same rules as saving; nothing is saved), and the page shows the
// computed rates and totals, each violation beside its cells, and the count of serious errors.
// The form works without this script: saving runs the same check.
(function () {
  "use strict";
  var form = document.querySelector("form[data-check]");
  if (!form) return;
  var timer = null, sent = 0;

  function body() {
    var out = { values: {}, stated: {}, explanations: {} };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      var p = el.name.split("|");
      if (p.length !== 3) return;
      if (p[0] === "e") { out.explanations[p[1] + "|" + p[2]] = el.value; return; }
      var bucket = p[0] === "v" ? out.values : p[0] === "s" ? out.stated : null;
      if (!bucket) return;
      (bucket[p[1]] = bucket[p[1]] || {})[p[2]] = el.value;
    });
    return out;
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  }

  // The explanations typed so far, so redrawing the list keeps them.
  function typedExplanations() {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("textarea[name^='e|']"), function (t) { out[t.name.slice(2)] = t.value; });
    return out;
  }

  function drawViolations(sheet, typed) {
    var box = form.querySelector("[data-violations='" + sheet.code + "']");
    if (!box) return;
    box.textContent = "";
    if (!sheet.violations.length) return;
    box.appendChild(text("h3", "Kết quả kiểm tra"));
    var ul = text("ul", "", "violations");
    sheet.violations.forEach(function (v) {
      var li = text("li", "", v.importance);
      li.appendChild(text("strong", v.importanceLabel + ":"));
      li.appendChild(document.createTextNode(" " + v.message));
      if (v.blocks) {
        li.appendChild(document.createElement("br"));
        var label = text("label", "Giải trình ", "small");
        var area = document.createElement("textarea");
        area.name = "e|" + v.key;
        area.rows = 1;
        area.value = typed[v.key] !== undefined ? typed[v.key] : (v.explanation || "");
        label.appendChild(area);
        li.appendChild(label);
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function draw(result) {
    var typed = typedExplanations();
    result.forms.forEach(function (sheet) {
      sheet.rows.forEach(function (row) {
        row.cells.forEach(function (c) {
          var td = form.querySelector("td[data-cell='" + sheet.code + "|" + c.key + "']");
          if (!td) return;
          td.classList.toggle("flagged", c.flagged);
          // Typed cells keep what the person typed; computed rates and totals show the server's figure.
          if (!td.querySelector("input")) td.textContent = c.display;
        });
      });
      drawViolations(sheet, typed);
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
    var summary = document.getElementById("report-summary");
    if (!summary) return;
    summary.textContent = "";
    if (result.problems.length) {
      result.problems.forEach(function (p) {
        var parts = p.field.split(".");
        var el = parts[0] === "values" ? form.querySelector("input[name='v|" + parts[1] + "|" + parts.slice(2).join(".") + "']") : null;
        if (el) el.setAttribute("aria-invalid", "true");
      });
      summary.appendChild(text("span", result.problems[0].message + (result.problems.length > 1 ? " (và " + (result.problems.length - 1) + " ô khác)" : ""), "warn"));
      summary.appendChild(document.createTextNode(" · "));
    }
    if (result.blocking > 0) {
      summary.appendChild(text("span", result.blocking + " lỗi nghiêm trọng", "warn"));
      summary.appendChild(document.createTextNode(" (phải sửa hoặc giải trình trước khi nộp)"));
    } else {
      summary.appendChild(document.createTextNode("Không có lỗi nghiêm trọng"));
    }
    summary.appendChild(document.createTextNode(" · " + result.warnings + " cảnh báo · chưa lưu"));
  }

  function check() {
    var token = form.querySelector("input[name=_csrf]");
    var mine = ++sent;
    fetch(form.getAttribute("data-check"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token ? token.value : "" },
      body: JSON.stringify(body())
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (result) {
      // Only the answer to the latest keystroke is drawn.
      if (result && mine === sent) draw(result);
    }).catch(function () {});
  }

  form.addEventListener("input", function (e) {
    if (!e.target.name || !/^[vs]\|/.test(e.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();

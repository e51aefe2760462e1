/* pingyi 评议投票: what script adds to pages that work without it.
   One submit per form (a second tap waits for the first), Enter moves to the next score,
   a grade and a typed score exclude each other, the draft is saved as it is typed,
   the code box waits out the slow-down, and the projector follows the room live. */
(function () {
  "use strict";

  function each(sel, fn, root) { Array.prototype.forEach.call((root || document).querySelectorAll(sel), fn); }

  // One submit per form: the server is idempotent anyway, this only spares a second request.
  each("form[data-once]", function (form) {
    form.addEventListener("submit", function (e) {
      if (form.hasAttribute("data-sent")) { e.preventDefault(); return; }
      form.setAttribute("data-sent", "");
    });
  });
  window.addEventListener("pageshow", function () {  // back from the next page: usable again
    each("form[data-sent]", function (form) { form.removeAttribute("data-sent"); });
  });

  // The code box: wait out the slow-down after wrong codes, then take input again.
  var code = document.getElementById("code");
  if (code) {
    var wait = parseInt(code.getAttribute("data-wait") || "0", 10);
    var button = code.form.querySelector("button[type=submit]");
    var msg = document.getElementById("code-msg");
    if (wait > 0) {
      code.disabled = true; button.disabled = true;
      var until = Date.now() + wait * 1000;
      var timer = setInterval(function () {
        var left = Math.ceil((until - Date.now()) / 1000);
        if (left <= 0) {
          clearInterval(timer); code.disabled = false; button.disabled = false; code.focus();
          if (msg) { msg.textContent = msg.textContent.replace(/\n?票码错误次数较多，请等待 \d+ 秒后再输入。/, ""); }
        } else if (msg) {
          msg.textContent = msg.textContent.replace(/请等待 \d+ 秒/, "请等待 " + left + " 秒");
        }
      }, 250);
    } else if (!document.querySelector(".msg.error")) {
      code.focus();
    }
  }

  var form = document.getElementById("rating");
  if (form) { rating(form); }
  var screen = document.getElementById("screen");
  if (screen) { projector(screen); }

  function rating(form) {
    var scores = Array.prototype.slice.call(form.querySelectorAll("input.score"));
    var cards = Array.prototype.slice.call(form.querySelectorAll(".card"));
    var progress = document.getElementById("progress");
    var saveTimer = null, saving = false, again = false;

    function cardState(card) {
      var abstain = card.querySelector("input.abstain");
      if (abstain && abstain.checked) { return "abstain"; }
      var fields = card.querySelectorAll(".field"), filled = 0, bad = false;
      Array.prototype.forEach.call(fields, function (f) {
        var s = f.querySelector("input.score"), g = f.querySelector("input.grade:checked");
        var v = s.value.trim();
        if (v) {
          filled++;
          var num = Number(v.replace(/[,，。]/g, "."));
          var max = parseInt(s.getAttribute("data-max"), 10) / 10;
          var ok = /^\d{1,3}([.,，。]\d)?$/.test(v) && num <= max;
          s.classList.toggle("bad", !ok);
          if (!ok) { bad = true; }
        } else {
          s.classList.remove("bad");
          if (g) { filled++; }
        }
      });
      if (bad) { return "bad"; }
      if (filled === 0) { return "empty"; }
      return filled === fields.length ? "complete" : "partial";
    }
    var names = {empty: "未评", abstain: "弃权", complete: "已评", partial: "未填完", bad: "有误"};

    function update(card) {
      var st = cardState(card);
      card.className = card.className.replace(/\bstate-\w+/, "state-" + st);
      var label = card.querySelector("[data-state]");
      if (label) { label.textContent = names[st]; }
      if (progress) {
        var done = 0, abst = 0;
        cards.forEach(function (c) {
          if (c.classList.contains("state-complete")) { done++; }
          if (c.classList.contains("state-abstain")) { abst++; }
        });
        progress.textContent = "已评 " + done + (abst ? "，弃权 " + abst : "");
      }
    }

    function save() {
      if (saving) { again = true; return; }
      saving = true;
      var data = new FormData(form);
      data.set("action", "save");
      fetch("/ballot", {method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
                        keepalive: true, headers: {"Accept": "application/json"}})
        .catch(function () {})
        .then(function () { saving = false; if (again) { again = false; save(); } });
    }
    function later() { clearTimeout(saveTimer); saveTimer = setTimeout(save, 600); }

    form.addEventListener("input", function (e) {
      var t = e.target, card = t.closest(".card");
      if (!card) { return; }
      if (t.classList.contains("score")) {
        if (t.value.trim()) {  // a typed score replaces a chosen grade, and ends 弃权
          each("input.grade:checked", function (g) { g.checked = false; }, t.closest(".field"));
          var a = card.querySelector("input.abstain"); if (a) { a.checked = false; }
        }
      }
      update(card); later();
    });
    form.addEventListener("change", function (e) {
      var t = e.target, card = t.closest(".card");
      if (!card) { return; }
      if (t.classList.contains("grade") && t.checked) {  // a grade replaces a typed score
        var s = t.closest(".field").querySelector("input.score"); s.value = "";
        var a = card.querySelector("input.abstain"); if (a) { a.checked = false; }
      }
      if (t.classList.contains("abstain") && t.checked) {  // 弃权 clears the person's values
        each("input.score", function (s) { s.value = ""; }, card);
        each("input.grade:checked", function (g) { g.checked = false; }, card);
      }
      update(card); later();
    });
    form.addEventListener("keydown", function (e) {  // Enter / 下一项 goes to the next score, not the review
      var t = e.target;
      if (e.key !== "Enter" || !t.classList || !t.classList.contains("score")) { return; }
      e.preventDefault();
      var i = scores.indexOf(t);
      if (i >= 0 && i + 1 < scores.length) { scores[i + 1].focus(); scores[i + 1].select(); }
      else { form.querySelector("button[value=review]").focus(); }
    });
    form.addEventListener("submit", function () { clearTimeout(saveTimer); saveTimer = null; });  // 核对 posts it all
    window.addEventListener("pagehide", function () { if (saveTimer) { clearTimeout(saveTimer); save(); } });
    cards.forEach(update);
  }

  function projector(root) {
    var version = root.getAttribute("data-version"), status = root.getAttribute("data-status");
    function tick() {
      fetch("/screen.json", {cache: "no-store", credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          if (s.status !== status) { location.reload(); return; }
          if (String(s.version) === version) { return; }
          version = String(s.version);
          s.groups.forEach(function (g) {
            var el = root.querySelector('[data-group="' + g.key + '"]');
            if (!el) { location.reload(); return; }
            el.querySelector(".returned").textContent = g.returned;
            el.querySelector(".issued").textContent = g.issued;
            var bar = el.querySelector("progress"); bar.max = g.issued || 1; bar.value = g.returned;
          });
          document.getElementById("returned").textContent = s.returned;
          document.getElementById("issued").textContent = s.issued;
          var total = document.getElementById("total-progress"); total.max = s.issued || 1; total.value = s.returned;
          root.setAttribute("data-version", version);
        })
        .catch(function () {});
    }
    setInterval(tick, 1000);
  }
})();

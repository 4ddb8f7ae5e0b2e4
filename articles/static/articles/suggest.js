/* Suggestions in the site's search box, as an ARIA 1.2 combobox with a
   listbox popup: people, places, programs and tags whose name or pinyin
   starts with what the reader typed, from /api/suggest/.  Progressive
   enhancement: without this script the box is a plain search form.  Text
   goes in with textContent only, never as HTML. */
(function () {
  "use strict";

  function enhance(form) {
    var input = form.querySelector("input[name=q]");
    var url = form.getAttribute("data-suggest");
    if (!input || !url || !window.fetch) return;
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索提示");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function select(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function span(cls, text) {
      var s = document.createElement("span");
      s.className = cls;
      s.textContent = text;
      return s;
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-url", s.url);
        li.appendChild(span("kind", s.kind_label));
        li.appendChild(span("name", s.name));
        if (s.detail) li.appendChild(span("detail", s.detail));
        li.appendChild(span("count", s.count + " 篇"));
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          window.location.assign(s.url);
        });
        list.appendChild(li);
        return li;
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { show([]); return; }
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === q) show(data.suggestions || []);
        })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { asked = ""; ask(); return; }
        select(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) select(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].getAttribute("data-url"));
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    Array.prototype.forEach.call(
      document.querySelectorAll("form[data-suggest]"), enhance
    );
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

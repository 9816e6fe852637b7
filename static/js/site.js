// The site's own behaviour, kept out of the HTML so a strict Content-Security-Policy holds.
(function () {
  "use strict";

  // A field one types text into: there "/" is a character. A checkbox, a select or a button is not.
  var TEXT_TYPES = /^(text|search|email|url|tel|password|number|date|datetime-local|month|week|time)$/;
  var isTextField = function (el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA") return true;
    return el.tagName === "INPUT" && TEXT_TYPES.test((el.getAttribute("type") || "text").toLowerCase());
  };

  // After htmx swaps a list's results (a facet, a sort, a page, a chip), the focus goes to the
  // results' heading, so a keyboard or screen reader user hears the new count; while one types
  // in a text field (the search box) it stays there.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") return;
    if (isTextField(document.activeElement)) return;
    var heading = document.getElementById("count");
    if (heading) heading.focus({ preventScroll: false });
  });

  // The owner facet's filter box: typing hides the owners whose name (or other spelling) does
  // not hold the text. Rendered hidden; without this script every owner is listed anyway.
  var setUpOwnerFilter = function (root) {
    root.querySelectorAll("[data-owner-facet]").forEach(function (facet) {
      var input = facet.querySelector("[data-owner-filter]");
      if (!input) return;
      var apply = function () {
        var wanted = input.value.trim().toLowerCase();
        var more = facet.querySelector("details.more-owners");
        if (more && wanted) more.open = true; // a match among the rest must show
        facet.querySelectorAll("label[data-owner]").forEach(function (label) {
          label.hidden = wanted !== "" && label.getAttribute("data-owner").indexOf(wanted) === -1;
        });
      };
      input.addEventListener("input", apply);
      // Not a filter of the list: its change or Enter must not submit the form.
      input.addEventListener("change", function (e) { e.stopPropagation(); });
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
      input.parentNode.hidden = false;
      if (input.value) apply();
    });
  };
  setUpOwnerFilter(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.querySelectorAll) setUpOwnerFilter(target);
  });

  // "/" focuses the search box, as on most sites with one.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTextField(event.target)) return;
    var box = document.querySelector("[data-search-box]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Copy buttons: data-copy holds the text; data-copy-link a fragment ("#resource-5700")
  // of this page, copied as an absolute link. The clipboard API where allowed (a secure
  // context); else what the reader can copy by hand: the element data-copy-target names, or
  // the button's own text, selected; a link goes to the address bar.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy], button[data-copy-link]");
    if (!button) return;
    var link = button.getAttribute("data-copy-link");
    var text = link === null
      ? button.getAttribute("data-copy")
      : new URL(link, location.origin + location.pathname).href;
    if (!button.hasAttribute("data-copy-label")) {
      button.setAttribute("data-copy-label", button.textContent);
    }
    var done = function () {
      button.textContent = "Copied";
      clearTimeout(button.copyTimer);
      button.copyTimer = setTimeout(function () {
        button.textContent = button.getAttribute("data-copy-label");
      }, 1500);
    };
    var select = function () {
      if (link !== null) { // the row's link: to the address bar, where it can be copied
        location.hash = link;
        return;
      }
      var targetId = button.getAttribute("data-copy-target");
      var target = targetId ? document.getElementById(targetId) : button;
      if (target) window.getSelection().selectAllChildren(target);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, select); // refused: select it after all
    } else {
      select();
    }
  });

  // A filter over a long table (the object page's resources): rows whose ID, name or
  // description holds the typed text, and a live count. The box is rendered hidden, shown
  // here: without this script there is nothing to filter with.
  var FILTER_MIN_ROWS = 9;
  var fold = function (text) { return text.replace(/\s+/g, " ").toLowerCase(); };
  document.querySelectorAll("[data-table-filter]").forEach(function (box) {
    var table = document.getElementById(box.getAttribute("data-table-filter"));
    var input = box.querySelector("input");
    var count = box.querySelector("[data-filter-count]");
    if (!table || !input || !table.tBodies.length) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    if (rows.length < FILTER_MIN_ROWS) return;
    var texts = rows.map(function (row) {
      var cells = row.querySelectorAll("td.id > a:first-child, td.name, td.desc");
      return Array.prototype.map.call(cells, function (cell) {
        return cell.textContent;
      }).join(" ");
    }).map(fold);
    var noun = function (n) { return n === 1 ? " resource" : " resources"; };
    var apply = function () {
      var wanted = fold(input.value).trim();
      var shown = 0;
      rows.forEach(function (row, i) {
        var match = !wanted || texts[i].indexOf(wanted) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = wanted
        ? shown + " of " + rows.length + noun(rows.length)
        : rows.length + noun(rows.length);
    };
    input.addEventListener("input", apply);
    if (input.value) apply(); // a value the browser kept on going back
    box.hidden = false;
  });

  // A selection of objects, kept in this browser and always shown as a shareable URL
  // (/?id=3,5,3303): "Add to selection" on an object page adds its ObjectID, the header's
  // Selection link opens it, and a list opened on such a URL becomes the selection. Without
  // this script "Add to selection" opens the list of that one object.
  var SELECTION = "lwm2m-selection";
  var readSelection = function () {
    try {
      return (JSON.parse(localStorage.getItem(SELECTION)) || []).filter(function (id) {
        return /^[0-9]{1,5}$/.test(String(id));
      }).map(Number);
    } catch (e) { return []; }
  };
  var keepSelection = function (ids) {
    var unique = ids.filter(function (id, i) { return ids.indexOf(id) === i; })
      .sort(function (a, b) { return a - b; }).slice(0, 500);
    try { localStorage.setItem(SELECTION, JSON.stringify(unique)); } catch (e) { /* private mode */ }
    return unique;
  };
  var showSelection = function (ids) {
    document.querySelectorAll("[data-selection-link]").forEach(function (link) {
      link.hidden = ids.length === 0;
      link.href = "/?id=" + ids.join(",");
      var count = link.querySelector("[data-selection-count]");
      if (count) count.textContent = String(ids.length);
    });
    document.querySelectorAll("[data-select]").forEach(function (button) {
      var id = Number(button.getAttribute("data-select"));
      if (ids.indexOf(id) !== -1) button.textContent = "In the selection";
    });
  };
  var listed = new URLSearchParams(location.search).get("id");
  if (location.pathname === "/" && listed) {
    keepSelection(listed.split(",").filter(function (id) { return /^[0-9]{1,5}$/.test(id); }).map(Number));
  }
  showSelection(readSelection());
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-select]");
    if (!button) return;
    event.preventDefault();
    showSelection(keepSelection(readSelection().concat([Number(button.getAttribute("data-select"))])));
  });
})();

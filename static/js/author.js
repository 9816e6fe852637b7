// /author/: the draft kept in this browser (localStorage) so a reload or a closed tab brings it
// back, findings that move the focus to their field, and the ObjectVersion that follows the
// advice. Without this script the editor works by plain form posts.
(function () {
  "use strict";

  var KEY = "lwm2m-author-draft";
  // The draft kept before another took its place (a shared link, a file, Start blank...).
  var PREVIOUS = "lwm2m-author-previous";
  // Whether the kept draft is this page's: a page that shows another draft keeps the one
  // before it as the previous draft, the first time it saves.
  var own = false;
  var SKIPPED = { csrfmiddlewaretoken: true, part: true, action: true, reuse: true };

  var form = function () { return document.getElementById("editor"); };

  var fields = function (editor) {
    var values = {};
    new FormData(editor).forEach(function (value, name) {
      if (!SKIPPED[name] && typeof value === "string") values[name] = value;
    });
    return values;
  };

  var keepPrevious = function () {
    try {
      var kept = window.localStorage.getItem(KEY);
      if (kept) window.localStorage.setItem(PREVIOUS, kept);
    } catch (e) { /* nothing kept */ }
  };

  var save = function () {
    var editor = form();
    if (!editor) return;
    if (!own) {
      keepPrevious();
      own = true;
    }
    try {
      window.localStorage.setItem(KEY, JSON.stringify(fields(editor)));
    } catch (e) {
      // Storage full or refused (private mode): the page still works, only without recall.
    }
  };

  var saved = function (key) {
    try {
      var text = window.localStorage.getItem(key || KEY);
      var values = text ? JSON.parse(text) : null;
      return values && typeof values === "object" ? values : null;
    } catch (e) {
      return null;
    }
  };

  var restore = function (editor, key) {
    var values = saved(key);
    if (!values || !window.htmx) return false;
    var meaningful = Object.keys(values).some(function (name) {
      return /^(name|object_id|description1|r0-id)$/.test(name) && values[name] !== "";
    });
    if (!meaningful) return false;
    var token = editor.querySelector("input[name=csrfmiddlewaretoken]");
    values.csrfmiddlewaretoken = token ? token.value : "";
    values.part = "editor";
    values.action = "restore";
    window.htmx.ajax("POST", editor.getAttribute("action"), {
      target: "#editor", swap: "outerHTML", values: values,
    });
    return true;
  };

  var follow = function () {
    // The version advice's version, into the ObjectVersion field while it follows it.
    var names = document.querySelector("[data-advised-version]");
    var field = document.querySelector("[data-version-field]");
    if (names && field && field.readOnly) field.value = names.getAttribute("data-advised-version");
  };

  var start = function () {
    var editor = form();
    if (!editor) return;
    var previous = document.querySelector("[data-previous-draft]");
    if (previous && saved(PREVIOUS)) {
      previous.hidden = false;
      previous.addEventListener("click", function () {
        own = false; // the draft on screen becomes the previous one: the two change places
        restore(form(), PREVIOUS);
      });
    }
    if (editor.hasAttribute("data-restore")) {
      own = true;
      restore(editor);
    }
    // Any other draft (a shared link, a file, a registered version, Start blank) is kept once
    // it is edited; the draft it replaces becomes the previous one.
  };

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#editor")) save();
  });
  document.addEventListener("change", function (event) {
    if (!(event.target.closest && event.target.closest("#editor"))) return;
    if (event.target.hasAttribute("data-override")) {
      var field = document.querySelector("[data-version-field]");
      if (field) field.readOnly = !event.target.checked;
    }
    save();
  });

  // Enter in the reusable resource box adds it, as its button does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target || event.target.id !== "reuse") return;
    var button = document.querySelector("[data-reuse-button]");
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // A finding's link: its field takes the focus (the link's own jump only scrolls there).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-focus-field]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("data-focus-field"));
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    if (target.id === "live") follow();
    if (target.id === "editor" || target.id === "live") save();
    var focused = target.querySelector && target.querySelector("[autofocus]");
    if (target.id === "editor" && focused) focused.focus();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

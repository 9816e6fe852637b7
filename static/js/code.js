// The code page's copy buttons: each copies its file's text (data-copy-from names the element)
// through the clipboard API where allowed, else selects the text to copy by hand. Without
// script the buttons stay hidden and the download links do the job.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var select = function () { window.getSelection().selectAllChildren(source); };
      if (!(navigator.clipboard && window.isSecureContext)) {
        select();
        return;
      }
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = "Copied";
        clearTimeout(button.copyTimer);
        button.copyTimer = setTimeout(function () { button.textContent = label; }, 1500);
      }, select);
    });
  });
})();

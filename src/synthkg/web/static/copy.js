// The copy button of the BibTeX block: shown only when the clipboard can be used.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copied");
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(
        function () { status.textContent = "Copied."; },
        function () { status.textContent = "Copying failed: select the text instead."; }
      );
    });
  });
})();

/* Photos: the doctor's "Quote" buttons in a measurement report insert a ready sentence (with a link to the
   report) into the answer textarea. CSP-safe: a static file, event delegation, no inline handlers. */
(function () {
  "use strict";
  if (window.consultPhotosReady) return; /* loaded once per page even if included twice */
  window.consultPhotosReady = true;

  function answerBox() {
    return document.querySelector("#answer-form textarea[name=body]");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-quote]");
    if (!button) return;
    var textarea = answerBox();
    if (!textarea) return;
    var sentence = button.getAttribute("data-quote") + ".";
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start), after = textarea.value.slice(end);
    var lead = before && !/\s$/.test(before) ? " " : "";
    textarea.value = before + lead + sentence + " " + after;
    var caret = (before + lead + sentence + " ").length;
    textarea.setSelectionRange(caret, caret);
    /* let the markdown preview (consult.js) refresh */
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    button.classList.add("is-done");
    button.textContent = "Quoted";
    textarea.focus({ preventScroll: true });
  });
})();

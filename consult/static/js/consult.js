/* Consult: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* Markdown editors: a debounced, server-rendered (sanitised) preview under the textarea. */
  function setUpEditor(editor) {
    var textarea = editor.querySelector("textarea");
    var wrap = editor.querySelector("[data-md-preview-wrap]");
    var target = editor.querySelector("[data-md-preview]");
    var url = editor.getAttribute("data-preview-url");
    if (!textarea || !wrap || !target || !url) return;
    var timer = null;
    var controller = null;
    var lastSent = null;

    function refresh() {
      var text = textarea.value;
      if (text === lastSent) return;
      lastSent = text;
      if (controller) controller.abort();
      controller = new AbortController();
      var body = new FormData();
      body.append("text", text);
      fetch(url, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken(textarea.form) },
        credentials: "same-origin",
        signal: controller.signal
      })
        .then(function (response) {
          if (response.status === 429) return "<p>Preview paused for a moment (too many requests).</p>";
          return response.text();
        })
        .then(function (html) {
          /* The server sanitises with the same allow-list used when the text is saved. */
          target.innerHTML = html;
          wrap.hidden = false;
        })
        .catch(function () { /* aborted or offline: keep the last preview */ });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    if (textarea.value.trim()) refresh();
  }

  /* htmx leaves the page untouched on an error response; say so next to the control instead. */
  function showRequestError(event, message) {
    var source = event.detail && event.detail.elt;
    if (!source || !source.parentNode) return;
    var holder = source.closest(".vote") || source.parentNode;
    var old = holder.querySelector("[data-request-error]");
    if (old) old.remove();
    var note = document.createElement("p");
    note.className = "inline-alert";
    note.setAttribute("role", "alert");
    note.setAttribute("data-request-error", "");
    note.textContent = message;
    holder.appendChild(note);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var wait = xhr ? parseInt(xhr.getResponseHeader("Retry-After") || "", 10) : NaN;
    var when = isNaN(wait) ? "a little" : wait < 90 ? wait + " seconds" : Math.round(wait / 60) + " minutes";
    showRequestError(event, status === 429
      ? "You have reached the limit for this action. Please wait " + when + " and try again."
      : "That did not work. Please reload the page and try again.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    showRequestError(event, "You seem to be offline. Your vote was not saved.");
  });

  /* Country-dependent fields (doctor profile form, directory filters): inside each [data-country-fields] group,
     show [data-country-only="US"] when the group's country is the US and [data-country-not="US"] when it is
     another one (neither while none is chosen). A group's country is its own [data-country-select] or, left
     blank ("the country I practise in"), the practice's. Without this script every field shows, labelled. */
  function setUpCountryFields() {
    var groups = document.querySelectorAll("[data-country-fields]");
    if (!groups.length) return;
    var practice = document.querySelector('[data-country-select="practice"]');
    function countryOf(group) {
      var own = group.querySelector("[data-country-select]");
      var value = own ? own.value : "";
      if (!value && practice && own !== practice) value = practice.value;
      return value;
    }
    function update() {
      for (var i = 0; i < groups.length; i++) {
        var country = countryOf(groups[i]);
        var only = groups[i].querySelectorAll("[data-country-only]");
        for (var j = 0; j < only.length; j++) only[j].hidden = country !== only[j].getAttribute("data-country-only");
        var not = groups[i].querySelectorAll("[data-country-not]");
        for (var k = 0; k < not.length; k++) not[k].hidden = !country || country === not[k].getAttribute("data-country-not");
      }
    }
    var selects = document.querySelectorAll("[data-country-select]");
    for (var n = 0; n < selects.length; n++) selects[n].addEventListener("change", update);
    update();
  }

  function init() {
    var editors = document.querySelectorAll("[data-md-editor]");
    for (var i = 0; i < editors.length; i++) setUpEditor(editors[i]);
    setUpCountryFields();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

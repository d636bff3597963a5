/* Gallery: drag a rectangle on the photo's preview to fill the crop fields (left, top, width, height in percent
   of the photo). The fields work by themselves without this file; the server checks and applies the crop. */
(function () {
  "use strict";

  var MAX_PREVIEW = 480; // CSS pixels, the preview's longest side

  function round1(value) { return Math.round(value * 10) / 10; }

  function setUp(fieldset) {
    var side = fieldset.getAttribute("data-crop");
    var file = document.getElementById("id_" + side);
    var holder = fieldset.querySelector("[data-crop-preview]");
    var inputs = {};
    ["x", "y", "w", "h"].forEach(function (part) {
      inputs[part] = fieldset.querySelector("[data-crop-" + part + "='" + side + "']");
    });
    if (!file || !holder || !inputs.x || !window.createImageBitmap) return;

    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Preview of the " + side + " photo. Drag on it to choose the crop; the numbers below follow.");
    var hint = document.createElement("p");
    hint.className = "field__help";
    hint.textContent = "Drag on the photo to choose the crop, or type the numbers below.";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "button button--small";
    clear.textContent = "Clear the crop";
    holder.appendChild(hint);
    holder.appendChild(canvas);
    holder.appendChild(clear);

    var bitmap = null;
    var start = null;

    function box() {
      var v = {};
      for (var part in inputs) {
        var n = parseFloat(inputs[part].value);
        if (isNaN(n)) return null;
        v[part] = n / 100;
      }
      return v.w > 0 && v.h > 0 ? v : null;
    }

    function draw() {
      if (!bitmap) return;
      var ctx = canvas.getContext("2d");
      var W = canvas.width, H = canvas.height;
      ctx.drawImage(bitmap, 0, 0, W, H);
      var b = box();
      if (!b) return;
      ctx.save();
      ctx.fillStyle = "rgba(0, 0, 0, 0.55)";
      ctx.beginPath();
      ctx.rect(0, 0, W, H);
      ctx.rect(b.x * W, b.y * H, b.w * W, b.h * H);
      ctx.fill("evenodd");
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 2;
      ctx.strokeRect(b.x * W, b.y * H, b.w * W, b.h * H);
      ctx.restore();
    }

    function fill(a, b) {
      var x0 = Math.max(0, Math.min(a.x, b.x)), y0 = Math.max(0, Math.min(a.y, b.y));
      var x1 = Math.min(1, Math.max(a.x, b.x)), y1 = Math.min(1, Math.max(a.y, b.y));
      inputs.x.value = round1(x0 * 100);
      inputs.y.value = round1(y0 * 100);
      // rounded down so that left + width stays inside the photo
      inputs.w.value = Math.floor((x1 - x0) * 1000) / 10;
      inputs.h.value = Math.floor((y1 - y0) * 1000) / 10;
      draw();
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width)),
        y: Math.max(0, Math.min(1, (event.clientY - rect.top) / rect.height)),
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (!bitmap) return;
      start = point(event);
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (start) fill(start, point(event));
    });
    function finish(event) {
      if (!start) return;
      var end = point(event);
      if (Math.abs(end.x - start.x) > 0.01 && Math.abs(end.y - start.y) > 0.01) fill(start, end);
      start = null;
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", function () { start = null; });
    clear.addEventListener("click", function () {
      for (var part in inputs) inputs[part].value = "";
      draw();
    });
    for (var part in inputs) inputs[part].addEventListener("input", draw);

    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) { holder.hidden = true; bitmap = null; return; }
      // No object URL or data: URL (the page's CSP allows same-origin images only): the photo is decoded
      // straight into a bitmap, upright as its EXIF says, as the server will read it.
      window.createImageBitmap(chosen, { imageOrientation: "from-image" }).then(function (decoded) {
        bitmap = decoded;
        var scale = Math.min(1, MAX_PREVIEW / Math.max(decoded.width, decoded.height));
        canvas.width = Math.round(decoded.width * scale);
        canvas.height = Math.round(decoded.height * scale);
        holder.hidden = false;
        draw();
      }, function () {
        holder.hidden = true;
        bitmap = null;
      });
    });
  }

  function init() {
    var sets = document.querySelectorAll("[data-crop]");
    for (var i = 0; i < sets.length; i++) setUp(sets[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

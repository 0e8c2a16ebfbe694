// Progressive enhancement only: every page works without this file.
// - the filter selects on the changes page apply as soon as they change;
// - on a diff page, "i" and "s" switch to the inline and side-by-side views.
(function () {
  "use strict";
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { return; }
    var link = null;
    if (event.key === "i") { link = document.getElementById("view-inline"); }
    if (event.key === "s") { link = document.getElementById("view-side"); }
    if (link) { window.location.assign(link.href); }
  });
}());

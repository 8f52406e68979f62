// The record form: live 字数, picking the observed teacher from the directory, bulk group picks.
(function () {
  "use strict";
  // Exactly Python's re \s (keshi.records.services.count_chars): the count here and the count
  // stored must agree. Code points, not UTF-16 units, so 𠮷 counts once.
  var SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  function countChars(text) { return Array.from((text || "").replace(SPACE, "")).length; }
  window.keshiCountChars = countChars;

  function updateCount(area) {
    var out = document.querySelector('[data-chars-for="' + area.id + '"]');
    if (out) { out.textContent = countChars(area.value); }
  }

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-count-chars]")) { updateCount(e.target); }
  });

  document.addEventListener("click", function (e) {
    var pick = e.target.closest && e.target.closest("[data-pick-person]");
    if (pick) {
      e.preventDefault();
      var hidden = document.getElementById("id_observed");
      var chosen = document.getElementById("observed-chosen");
      var results = document.getElementById("directory-results");
      var search = document.getElementById("observed-search");
      hidden.value = pick.getAttribute("data-pick-person");
      chosen.querySelector("[data-chosen-label]").textContent = pick.getAttribute("data-label");
      chosen.classList.remove("d-none");
      var subject = document.getElementById("id_f_subject");  // 听课: the observed one's subject
      if (subject && !subject.value) { subject.value = pick.getAttribute("data-subject") || ""; }
      if (results) { results.innerHTML = ""; }
      if (search) { search.value = ""; }
      return;
    }
    var clear = e.target.closest && e.target.closest("[data-clear-observed]");
    if (clear) {
      e.preventDefault();
      document.getElementById("id_observed").value = "";
      document.getElementById("observed-chosen").classList.add("d-none");
      document.getElementById("observed-search").focus();
      return;
    }
    var group = e.target.closest && e.target.closest("[data-group-ids]");
    if (group) {
      e.preventDefault();
      group.getAttribute("data-group-ids").split(",").forEach(function (id) {
        var box = document.querySelector('input[name="people"][value="' + id + '"]');
        if (box) { box.checked = true; }
      });
      updatePicked();
    }
  });

  function updatePicked() {
    var out = document.getElementById("people-count");
    if (out) { out.textContent = document.querySelectorAll('input[name="people"]:checked').length; }
  }
  document.addEventListener("change", function (e) {
    if (e.target.name === "people") { updatePicked(); }
    if (e.target.name === "person") {  // another teacher: the observed must be re-picked
      var hidden = document.getElementById("id_observed");
      if (hidden) { hidden.value = ""; document.getElementById("observed-chosen").classList.add("d-none"); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-count-chars]").forEach(updateCount);
    updatePicked();
  });
})();

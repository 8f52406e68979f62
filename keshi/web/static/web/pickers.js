// Person pickers (select[data-search], marked by keshi.web.forms.BootstrapMixin): type a few
// characters of a name, 工号 or group instead of scrolling a school's whole staff. Tom Select
// (vendored from npm) keeps the <select> in the form, so what is posted does not change.
(function () {
  function picker(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var multiple = select.multiple;
    new TomSelect(select, {
      maxOptions: null,
      create: false,
      allowEmptyOption: false,  // "---------" is no person: the placeholder says what to type
      placeholder: select.getAttribute("data-placeholder") || undefined,
      plugins: multiple ? ["remove_button"] : [],
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = select.getAttribute("data-no-results") || "";
          return div;
        },
      },
    });
  }
  function all(root) { (root || document).querySelectorAll("select[data-search]").forEach(picker); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { all(); });
  else all();
  document.addEventListener("htmx:afterSwap", function (event) { all(event.target); });
})();

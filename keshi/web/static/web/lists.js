// The list component (web/list_page.html): label each cell with its column's heading so that on
// a phone, where keshi.css shows every row as a card, a value is never without its name.
(function () {
  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/[▲▼]/g, "").trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var col = 0;
      Array.prototype.forEach.call(tr.children, function (td) {
        if (!td.hasAttribute("data-label") && heads[col]) td.setAttribute("data-label", heads[col]);
        col += td.colSpan || 1;
      });
    });
  }
  function all() { document.querySelectorAll(".list-cards table").forEach(label); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
  document.addEventListener("htmx:afterSwap", all);
})();

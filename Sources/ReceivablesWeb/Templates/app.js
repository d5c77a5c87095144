// Customer fields offer matching customers as one types (code or name). Without this script a
// customer field still takes a code or a name: the server resolves it.
(function () {
  "use strict";
  var list = document.getElementById("customer-lookup");
  if (!list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  function fill(rows) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    rows.forEach(function (row) {
      var option = document.createElement("option");
      option.value = row.code;
      option.label = row.code + " " + row.name;
      option.textContent = row.name;
      list.appendChild(option);
    });
  }
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field || field.getAttribute("list") !== "customer-lookup") { return; }
    var text = field.value.trim();
    if (text === last || text.length === 0) { return; }
    last = text;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch("/lookup/customers?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(fill)
        .catch(function () { fill([]); });
    }, 150);
  });
})();

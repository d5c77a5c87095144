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

// On the cash page, what the amounts typed apply and what stays as an advance, as they are typed
// (the server proposes and checks them; this only keeps the two totals current).
(function () {
  "use strict";
  var table = document.getElementById("open-invoices");
  var total = document.getElementById("applied-total");
  var rest = document.getElementById("advance-rest");
  if (!table || !total || !rest) { return; }
  var form = table.closest("form");
  var symbol = table.getAttribute("data-symbol") || "";
  // Amounts in minor units (two decimals), from what people type: "1,234.5", "¥1234.50".
  function cents(text) {
    var clean = String(text || "").replace(/[¥,\s]/g, "");
    if (!/^-?\d+(\.\d{0,2})?$/.test(clean)) { return null; }
    var parts = clean.replace("-", "").split(".");
    var value = parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
    return clean.charAt(0) === "-" ? -value : value;
  }
  function show(value) {
    var negative = value < 0;
    var whole = Math.floor(Math.abs(value) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fraction = ("0" + (Math.abs(value) % 100)).slice(-2);
    return (negative ? "-" : "") + symbol + whole + "." + fraction;
  }
  function update() {
    var applied = 0;
    form.querySelectorAll("input[name='apply[]']").forEach(function (field) { applied += cents(field.value) || 0; });
    var received = cents(form.querySelector("input[name=amount]").value);
    total.textContent = show(applied);
    rest.textContent = received === null ? "" : show(received - applied);
  }
  form.addEventListener("input", update);
})();

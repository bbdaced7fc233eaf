// Printing from the browser: open every collapsed block (evidence, "show more") so the paper
// holds everything, and close them again afterwards. The page reads fully without this script.
(function () {
  var opened = [];
  addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open]):not(.data)').forEach(function (d) { d.open = true; opened.push(d); });
  });
  addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

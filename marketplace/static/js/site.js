// Small behaviours of the site's pages, wired by data attributes: the Content-Security-Policy
// allows no inline script and no event handler attribute (onclick=…, javascript: links).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var print = event.target.closest("[data-print]");
    if (print) {
      event.preventDefault();
      window.print();
      return;
    }
    // A "Back" link: the previous page when there is one; its href (the home page) otherwise.
    var back = event.target.closest("[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();

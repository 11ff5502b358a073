// Shows the price a discount rate converts to (bidding/agency/bid_form.html): the same rule
// as the service, budget cap × (100 − rate) / 100 rounded half up to the cent. The service
// computes the price that counts; this is a preview.
(function () {
  "use strict";
  var outputs = document.querySelectorAll("[data-discount-price-for]");
  Array.prototype.forEach.call(outputs, function (output) {
    var input = document.getElementById(output.dataset.discountPriceFor);
    if (!input) { return; }
    var capCents = Math.round(parseFloat(input.dataset.budgetCap) * 100);
    function update() {
      var rate = parseFloat(input.value);
      if (isNaN(rate) || isNaN(capCents) || rate < 0 || rate > 100) { output.textContent = "—"; return; }
      // Work in hundredths of a cent to round half up like Decimal's ROUND_HALF_UP.
      var rateHundredths = Math.round(rate * 100);
      var cents = Math.floor((capCents * (10000 - rateHundredths) + 5000) / 10000);
      output.textContent = (cents / 100).toFixed(2);
    }
    input.addEventListener("input", update);
    update();
  });
})();

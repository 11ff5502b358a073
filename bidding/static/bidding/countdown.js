// Live countdown to a bid deadline (bidding/agency/_announcement_extras.html).
// The page shows the deadline as text without JavaScript. The server's clock decides whether
// a bid is in time; this only corrects for the visitor's clock by the offset seen at load.
(function () {
  "use strict";
  var el = document.getElementById("countdown");
  if (!el) { return; }
  var deadline = Date.parse(el.dataset.deadline);
  var serverNow = Date.parse(el.dataset.serverNow);
  if (isNaN(deadline)) { return; }
  var offset = isNaN(serverNow) ? 0 : serverNow - Date.now();
  var timer = null;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function render() {
    var left = Math.floor((deadline - (Date.now() + offset)) / 1000);
    if (left <= 0) {
      el.textContent = el.dataset.closedText;
      if (timer !== null) { clearInterval(timer); }
      return;
    }
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    var text = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor(rest % 3600 / 60)) + ":" +
      pad(rest % 60);
    if (days > 0) { text = days + " " + el.dataset.daysLabel + " " + text; }
    el.textContent = el.dataset.leftLabel + " " + text;
  }
  render();
  timer = setInterval(render, 1000);
})();

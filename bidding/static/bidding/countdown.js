// Live countdown to a bid deadline (bidding/agency/_announcement_extras.html).
// The page shows the deadline as text without JavaScript. The server's clock decides whether
// a bid is in time; this only corrects for the visitor's clock by the offset seen at load.
// Every word comes translated from the template's data attributes: `dayOne` / `dayOther`
// ("{days} day(s)", chosen by the page language's plural rule), `left` ("Time left: {time}")
// and `closedText`.
(function () {
  "use strict";
  var el = document.getElementById("countdown");
  if (!el) { return; }
  var data = el.dataset;
  var deadline = Date.parse(data.deadline);
  var serverNow = Date.parse(data.serverNow);
  if (isNaN(deadline)) { return; }
  var offset = isNaN(serverNow) ? 0 : serverNow - Date.now();
  var lang = (document.documentElement && document.documentElement.lang) || "en";
  var plural = null;
  try { plural = new Intl.PluralRules(lang); } catch (e) { plural = null; }
  var timer = null;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function daysText(days) {
    var one = plural !== null && plural.select(days) === "one";
    return (one ? data.dayOne : data.dayOther).replace("{days}", String(days));
  }
  function render() {
    var left = Math.floor((deadline - (Date.now() + offset)) / 1000);
    if (left <= 0) {
      el.textContent = data.closedText;
      if (timer !== null) { clearInterval(timer); }
      return;
    }
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    var text = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor(rest % 3600 / 60)) + ":" +
      pad(rest % 60);
    if (days > 0) { text = daysText(days) + " " + text; }
    el.textContent = data.left.replace("{time}", text);
  }
  render();
  timer = setInterval(render, 1000);
})();

// Starts the Wagtail widgets and panels whose start-up call the server wrote as data
// (<script type="application/json" data-console-init="NAME">[arguments]</script>) rather than as
// an inline script, which the Content-Security-Policy refuses (cms/console/csp.py). Runs once
// the page is parsed, and again on whatever is inserted later (an inline panel's new form).
(function () {
  "use strict";
  // The same allow-lists as cms/console/csp.py: nothing else is ever called.
  var FUNCTIONS = ["initDateChooser", "initTimeChooser", "initDateTimeChooser", "createTaskChooser"];
  var CONSTRUCTORS = ["InlinePanel", "MultipleChooserPanel", "Chooser", "PageChooser",
    "ImageChooser", "DocumentChooser", "SnippetChooser"];
  var SELECTOR = "script[type='application/json'][data-console-init]";
  var started = new WeakSet();

  function start(element) {
    if (started.has(element)) {
      return;
    }
    started.add(element);
    var name = element.getAttribute("data-console-init");
    var target = window[name];
    if (typeof target !== "function") {
      console.error("console start-up: " + name + " is not loaded");
      return;
    }
    var args = JSON.parse(element.textContent);
    if (CONSTRUCTORS.indexOf(name) !== -1) {
      Reflect.construct(target, args);
    } else if (FUNCTIONS.indexOf(name) !== -1) {
      target.apply(window, args);
    }
  }

  function scan(root) {
    if (root.matches && root.matches(SELECTOR)) {
      start(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll(SELECTOR).forEach(start);
    }
  }

  function ready() {
    scan(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            scan(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

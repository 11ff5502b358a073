"""The automatic checks run on every page a browser journey visits.

Each check returns a list of findings (plain strings a person can act on); an empty list passes.
They look at the rendered page the way a user would: what overflows, what is squeezed, what
text is shown, what the page asked the network for, what the console said, and what axe-core
finds for accessibility.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

# Text that is not UI text: code, hashes, commands, and anything marked as a proper noun or a
# code with the standard HTML attribute translate="no".
_VISIBLE_TEXT_JS = r"""
() => {
  const skip = 'script,style,noscript,template,code,pre,kbd,samp,[translate="no"],[lang="en"],svg';
  const out = [];
  const seen = new Set();
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    if (el.closest('.visually-hidden')) return true;  // read aloud: still UI text
    return el.getClientRects().length > 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip) || !visible(el)) continue;
    if (!seen.has(text)) { seen.add(text); out.push(text); }
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],img[alt]')) {
    if (el.closest(skip)) continue;
    for (const attr of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = (el.getAttribute(attr) || '').trim();
      if (value && !seen.has(value)) { seen.add(value); out.push(value); }
    }
  }
  return out;
}
"""

# Elements wider than the viewport that are not inside a scrolling container.
_OVERFLOW_JS = r"""
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width + 1) return [];
  const culprits = [];
  const scrolls = (el) => {
    // An absolutely positioned element escapes a scrolling ancestor that is not positioned.
    if (getComputedStyle(el).position === 'absolute') {
      const holder = el.offsetParent;
      return !!holder && holder !== document.body &&
        getComputedStyle(holder).overflowX !== 'visible';
    }
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !scrolls(el)) {
      const desc = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ?
         '.' + el.className.trim().split(/\s+/).join('.') : '');
      culprits.push(`${desc} ends at ${Math.round(r.right)}px`);
      if (culprits.length >= 5) break;
    }
  }
  return [`page is ${root.scrollWidth}px wide in a ${width}px window: ` + culprits.join('; ')];
}
"""

# A text squeezed into a column so narrow that it shows one character (or one word) per line:
# the owner form's qualification labels once stacked one character per line over the form.
_SQUEEZED_JS = r"""
() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!el || !text || el.closest('script,style,noscript,template,.visually-hidden')) continue;
    const cjk = (text.match(/[\u3400-\u9fff]/g) || []).length;
    const words = (text.match(/[A-Za-z0-9]+/g) || []).length;
    const units = cjk + words;
    // Two Latin words on two lines is ordinary wrapping; two characters on two lines is not.
    if (cjk < 2 && words < 3) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set();
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top));
    }
    if (tops.size >= units) {
      found.push(`"${text.slice(0, 40)}" shows ${tops.size} lines for ${units} ` +
                 `characters or words (in <${el.tagName.toLowerCase()}>)`);
    }
  }
  return found.slice(0, 10);
}
"""

# Installed in every page before its own scripts (BrowserContext.add_init_script): every
# Content-Security-Policy violation the page causes is kept for `csp_findings`.
CSP_LISTENER_JS = r"""
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI || '(inline)',
    source: (event.sourceFile || '') + (event.lineNumber ? ':' + event.lineNumber : ''),
    sample: event.sample || '',
  });
});
"""
_CSP_TAKE_JS = ("() => { const v = window.__cspViolations || []; "
                "window.__cspViolations = []; return v; }")


def csp_findings(page) -> list[str]:
    """The policy violations the page caused since it loaded (or since the last call)."""
    return [f"Content-Security-Policy violation: {v['directive']} blocked {v['blocked']}"
            + (f" at {v['source']}" if v["source"] else "")
            + (f" ({v['sample'][:60]!r})" if v["sample"] else "")
            for v in page.evaluate(_CSP_TAKE_JS)]


# Latin-script words allowed on a Chinese page: proper nouns, product names, codes and units.
ALLOWED_LATIN = {
    "api", "csv", "json", "ocds", "pdf", "jpeg", "png", "sha", "uscc", "id", "ip", "qr", "url",
    "html", "https", "http", "stripe", "connect", "checkout", "wagtail", "openapi", "swagger",
    "token", "rss", "atom", "cma", "cnas", "excel", "email", "e-mail", "chart.js", "bootstrap",
    "htmx", "sha-256", "hex", "english", "utf", "openssl", "sha256sum", "python", "django",
    "sqlite", "postgresql", "elasticsearch", "celery", "cny", "rmb", "ab", "kb", "mb", "gb",
    # The signature format and the webhook header a receiver reads, named as the standards do.
    "pades", "marketplace-signature",
}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.\-]*")
_SNAKE_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_RAW_PERIOD = re.compile(r"(?<![\w.])\d+(?:wd|d|h|m|s)\b")
# An amount of money not in the one format (¥525,400.00): four or more digits before the cents
# with no thousands separator, with or without a currency sign.
_RAW_MONEY = re.compile(r"(?<![\w.,])¥?\d{4,}\.\d{2}(?![\d%.])")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|/[\w\-./?=&%]+")


@cache
def english_msgids() -> frozenset[str]:
    """Our catalog's English source strings that have a different Chinese translation."""
    po = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
    ids, key, entry = set(), None, {}
    for raw in po.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry.get("msgid") and entry.get("msgstr") and entry["msgid"] != entry["msgstr"]:
                ids.add(entry["msgid"])
            entry, key = {}, None
        elif line.startswith('"') and key:
            entry[key] += line[1:-1]
        elif line.startswith(("msgid ", "msgstr ")):
            key, _, value = line.partition(" ")
            entry[key] = value[1:-1]
    return frozenset(i for i in ids if re.search("[A-Za-z]{3}", i) and "%" not in i)


def text_findings(texts: list[str], *, chinese: bool, names: set[str] = frozenset()
                  ) -> list[str]:
    """Raw keys and raw period values anywhere; English UI text on a Chinese page. `names` are
    user names, shown as they were typed."""
    findings = []
    msgids = english_msgids() if chinese else frozenset()
    for text in texts:
        bare = _ADDRESS.sub(" ", text)
        for key in _SNAKE_KEY.findall(bare):
            findings.append(f"raw field key {key!r} in {text[:60]!r}")
        for value in _RAW_PERIOD.findall(bare):
            findings.append(f"raw setting value {value!r} in {text[:60]!r}")
        for value in _RAW_MONEY.findall(bare):
            findings.append(f"money not in the one format (¥1,234.00): {value!r} in {text[:60]!r}")
        if not chinese:
            continue
        if text in msgids:
            findings.append(f"untranslated catalog string {text!r}")
            continue
        # Tokens with digits are codes (Q-1024, agency1); all capitals are acronyms (EIA-R).
        words = [w for w in _TOKEN.findall(bare)
                 if not any(c.isdigit() for c in w) and not w.isupper() and len(w) > 1
                 and w.lower().strip(".'-") not in ALLOWED_LATIN and w not in names]
        if words:
            findings.append(f"English on a Chinese page: {' '.join(words)!r} in {text[:60]!r}")
    return findings


def visible_texts(page) -> list[str]:
    return page.evaluate(_VISIBLE_TEXT_JS)


def overflow_findings(page) -> list[str]:
    return page.evaluate(_OVERFLOW_JS)


def squeezed_findings(page) -> list[str]:
    return page.evaluate(_SQUEEZED_JS)


_AXE = Axe()


def accessibility_findings(page) -> list[str]:
    """axe-core violations of serious or critical impact."""
    results = _AXE.run(page)
    findings = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in ("serious", "critical"):
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        findings.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
                        f"at {'; '.join(targets)}")
    return findings

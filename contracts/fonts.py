"""The contract font as the files fpdf2 (the PDF) and pyHanko (the signature stamps) read.

The font is WenQuanYi Micro Hei (Apache-2.0) from `paperang-p2-fonts-cjk`; settings
`CONTRACT_PDF_FONT` (a .ttf/.ttc path, e.g. Debian's fonts-wqy-microhei or fonts-noto-cjk) and
`CONTRACT_PDF_FONT_INDEX` (the face in a collection) override it. Nothing is fetched.

Both libraries parse the whole face and subset it for every document: for a CJK face of
~50,000 glyphs that is about half a second each time. So a second face is prepared once, in
`var/cache`: the same font cut down to the common characters (GB 2312's 6,763 hanzi and symbols,
Latin, general punctuation, CJK punctuation and fullwidth forms: ~8,000 characters, 13,600
glyphs with the components they are drawn from), which a PDF sets in a fifth of the time
(0.06 s against 0.32 s for a page of contract text). A text with any character outside it
gets the full face: nothing a party's name or the contract needs is ever lost.
"""

import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.conf import settings

# Ranges kept beside GB 2312 (which encodes its hanzi, kana, Greek, Cyrillic and symbols).
COMMON_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x2000, 0x206F), (0x20A0, 0x20CF),
                 (0x2100, 0x218F), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))
CACHE_VERSION = "1"


def font_file() -> tuple[Path, int]:
    """The configured font (a file and the face in it when a collection)."""
    configured = getattr(settings, "CONTRACT_PDF_FONT", "")
    if configured:
        return Path(configured), int(getattr(settings, "CONTRACT_PDF_FONT_INDEX", 0))
    package = resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"
    return Path(str(package)), 0


def _cache_path(kind: str, source: Path, index: int) -> Path:
    stat = source.stat()
    tag = hashlib.sha256(f"{CACHE_VERSION}|{source.resolve()}|{index}|{stat.st_size}|"
                         f"{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    name = f"contract-font-{source.stem}-{index}-{kind}-{tag}.ttf"
    return Path(settings.VAR_DIR) / "cache" / name


def _write(target: Path, font) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")  # one per process
    font.save(str(partial))
    partial.replace(target)  # atomic: a concurrent reader sees the whole file or none


@lru_cache(maxsize=1)
def full_face() -> str:
    """A .ttf of the whole configured face (pyHanko reads one face, not a collection)."""
    from fontTools.ttLib import TTCollection

    path, index = font_file()
    if path.suffix.lower() != ".ttc":
        return str(path)
    target = _cache_path("full", path, index)
    if not target.exists():
        _write(target, TTCollection(str(path)).fonts[index])
    return str(target)


def _common_characters() -> set[int]:
    codes = {code for low, high in COMMON_RANGES for code in range(low, high + 1)}
    for code in range(0xA0, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        codes.add(code)
    return codes


@lru_cache(maxsize=1)
def common_face() -> tuple[str, frozenset[str]]:
    """The face cut down to the common characters, and the characters it can show."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index = font_file()
    target = _cache_path("common", path, index)
    if not target.exists():
        font = TTFont(full_face(), lazy=True)
        wanted = _common_characters() & set(font.getBestCmap())
        options = subset.Options(name_IDs=["*"], name_languages=["*"], name_legacy=True,
                                 notdef_outline=True, glyph_names=True,
                                 drop_tables=[*subset.Options().drop_tables, "FFTM"])
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(wanted))
        subsetter.subset(font)
        _write(target, font)
    shown = TTFont(str(target), lazy=True).getBestCmap()
    return str(target), frozenset(chr(code) for code in shown)


def face_for(text: str) -> str:
    """The common face when it shows every character of `text`, else the full face."""
    common, shown = common_face()
    return common if set(text) <= shown | {"\n", "\r", "\t"} else full_face()

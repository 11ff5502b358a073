"""The OCDS 1.1.5 schemas, read from the vendored copies (`schema/README.md`), never from the
internet: the release schema patched with the bids extension, the merger (ocdsmerge) built on
it, and a validator of releases, records and packages (used by the test suite and by
`manage.py ocds_releases --validate`)."""

import datetime as dt
import functools
import json
from pathlib import Path

import ocdsmerge
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).parent / "schema"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def merge_patch(target, patch):
    """JSON Merge Patch (RFC 7386): objects merge key by key, `null` removes a key, anything
    else replaces the target's value."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@functools.cache
def _release_schema_text() -> str:
    schema = merge_patch(_load("release-schema.json"),
                         _load("bid-extension-release-schema.json"))
    return json.dumps(schema)


def release_schema() -> dict:
    """OCDS 1.1.5's release schema with the bids extension (a fresh copy each call)."""
    return json.loads(_release_schema_text())


@functools.cache
def merger() -> ocdsmerge.Merger:
    """The merger with its rules taken from the local patched schema (ocdsmerge would
    otherwise download the newest schema from the internet)."""
    return ocdsmerge.Merger(schema=release_schema())


def compile_releases(releases: list[dict]) -> dict:
    return merger().create_compiled_release(releases)


def _format_checker() -> FormatChecker:
    formats = FormatChecker()

    @formats.checks("date-time", raises=ValueError)
    def _date_time(value) -> bool:
        return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None

    return formats


@functools.cache
def _validators() -> dict[str, Draft4Validator]:
    release = release_schema()
    # The package schemas refer to the release schema by its URL: serve the patched local copy.
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URL, Resource.from_contents(release, default_specification=DRAFT4))
    formats = _format_checker()
    return {
        "release": Draft4Validator(release, format_checker=formats),
        "release-package": Draft4Validator(_load("release-package-schema.json"),
                                           registry=registry, format_checker=formats),
        "record-package": Draft4Validator(_load("record-package-schema.json"),
                                          registry=registry, format_checker=formats),
    }


def validation_errors(data: dict, kind: str) -> list[str]:
    """The schema errors of `data` as "path: message" lines; `kind` is "release",
    "release-package" or "record-package" (a record is checked inside a record package)."""
    errors = sorted(_validators()[kind].iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors]

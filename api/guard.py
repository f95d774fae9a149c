"""Input that cannot hurt: every request's JSON body, query and path pass here before a schema sees them.

Before the body is parsed, a cheap scan of its bytes refuses what would make the parser
itself fail or hand over a value no field can hold: nesting deeper than ``MAX_DEPTH``
(the parser recurses: a few thousand brackets are a RecursionError), a number of more than
``MAX_DIGITS`` digits (Python refuses to turn 4,300 digits into an int) or beyond a float's
range (``1e999`` would be infinity, ``1e-999`` zero), and ``NaN`` / ``Infinity`` (not JSON). After parsing,
every piece of text (field names included) must pass ``domain.text``'s one rule. All of it
answers 422 in the one error body, naming the fields (``body`` for what the scan finds).

Every blueprint is a ``Blueprint`` of this module, so every ``@blp.arguments`` schema is fed
through ``GuardedParser``.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

import flask_smorest
from flask import request
from flask_smorest import abort
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser, is_json_request

from domain.text import bad_texts

MAX_DEPTH = 32
MAX_DIGITS = 30
STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
LONG_NUMBER = re.compile(rb"[0-9]{%d,}" % (MAX_DIGITS + 1))
BIG_EXPONENT = re.compile(rb"[0-9.]+[eE][+-]?0*([0-9]{3,})")
"""A number whose exponent has three digits or more (only those can leave a float's range)."""
MAX_EXPONENT = 308
NOT_A_NUMBER = re.compile(rb"NaN|Infinity")
BRACKETS = bytes(range(256)).translate(None, b"[]{}")
DEPTH_STEP = [0] * 256
for _open in b"[{":
    DEPTH_STEP[_open] = 1
for _close in b"]}":
    DEPTH_STEP[_close] = -1


def body_problems(raw: bytes) -> list[str]:
    """What in a JSON text (bytes) no command takes, found without parsing it; [] when nothing."""
    outside = STRING.sub(b'""', raw)  # what is not inside a string
    problems = []
    brackets = outside.translate(None, BRACKETS)
    if brackets and max(accumulate(map(DEPTH_STEP.__getitem__, brackets))) > MAX_DEPTH:
        problems.append(f"nested deeper than {MAX_DEPTH} levels")
    if LONG_NUMBER.search(outside):
        problems.append(f"a number of more than {MAX_DIGITS} digits")
    if any(beyond_float(found) for found in BIG_EXPONENT.finditer(outside)):
        problems.append(f"a number beyond a float's range (an exponent beyond ±{MAX_EXPONENT}, such as 1e999)")
    if NOT_A_NUMBER.search(outside):
        problems.append("NaN and Infinity are not JSON numbers")
    return problems


def beyond_float(found: re.Match[bytes]) -> bool:
    """Whether a number with a large exponent would turn into infinity, or into 0 though it is not 0."""
    exponent = found.group(1)
    return len(exponent) > 3 or int(exponent) > MAX_EXPONENT or float(found.group()) == float("inf")


class GuardedParser(FlaskParser):
    def _raw_load_json(self, req: Any) -> Any:
        if is_json_request(req):
            problems = body_problems(req.get_data(cache=True))
            if problems:
                raise ValidationError({"body": problems})
        return super()._raw_load_json(req)

    def pre_load(self, location_data: Any, *, schema: Any, req: Any, location: str) -> Any:
        value = location_data
        if location in ("query", "querystring"):
            value = dict(req.args.lists())
            bad = {path.split(".")[0]: why for path, why in bad_texts(value)}  # (a query field's values: one field)
        else:
            bad = dict(bad_texts(value))
        if bad:
            raise ValidationError({path: [why] for path, why in sorted(bad.items())})
        return location_data


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = GuardedParser()


def refuse_bad_path() -> None:
    """Text in the path (a department, say) follows the same rule (before the app's own checks)."""
    bad = dict(bad_texts(request.view_args or {}))
    if bad:
        abort(422, errors={path: [why] for path, why in sorted(bad.items())})

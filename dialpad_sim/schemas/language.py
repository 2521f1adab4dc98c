"""The schema language of the hand-written request bodies, and its shorthand constructors.

A schema is a plain dict in a subset of JSON schema: ``type`` (with ``format: int64``),
``enum``, ``minimum``/``maximum``, ``minLength``/``maxLength``, ``pattern``,
``minItems``/``maxItems``, ``items``, ``properties`` and ``required``. A few ``x-`` keywords
carry the rules the spec states only in prose:

- ``x-single-line`` ("[single-line only]"), ``x-nonblank``,
- ``x-e164`` (an E.164 phone number), ``x-email``, ``x-url`` (http or https),
  ``x-country`` (an ISO 3166 two-letter code), ``x-hours`` (pairs of increasing "HH:MM"),
- ``x-unit`` (named in range messages), ``x-pattern-text`` (what ``pattern`` means, in
  words), ``x-item-name`` (what a list's items are called in messages).

``validator.py`` enforces them; ``bodies.py`` and ``messaging.py`` write the bodies with the
constructors below (``S`` a string, ``I`` an int64, ``O`` an object...).
"""

from __future__ import annotations


def S(**kw):
    return {"type": "string", **kw}


def Line(**kw):
    """A "[single-line only]" string."""
    return {"type": "string", "x-single-line": True, **kw}


def Name(max_length=None):
    rule = {"type": "string", "x-single-line": True, "x-nonblank": True}
    if max_length:
        rule["maxLength"] = max_length
    return rule


def I(**kw):
    return {"type": "integer", "format": "int64", **kw}


def B():
    return {"type": "boolean"}


def E(*values, **kw):
    return {"type": "string", "enum": list(values), **kw}


def A(items=None, **kw):
    return {"type": "array", "items": items or {}, **kw}


def O(props=None, required=(), **kw):
    rule = {"type": "object", **kw}
    if props is not None:
        rule["properties"] = props
    if required:
        rule["required"] = list(required)
    return rule


E164 = {"type": "string", "x-e164": True}
HOURS = {"type": "array", "items": {"type": "string"}, "x-hours": True}

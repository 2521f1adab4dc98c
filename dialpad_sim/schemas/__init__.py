"""Request validation: hand-written request-body schemas, and the spec's when it is at hand.

- ``bodies.py``: ``BODIES``, the schema of every request body the simulator accepts, by
  (method, path template), written by hand so the simulator needs no spec file to run;
- ``messaging.py``: the messaging endpoints' bodies (bulk messages, schedules, channels),
  merged into ``BODIES``;
- ``language.py``: the schema language (a JSON-schema subset plus ``x-`` keywords for the
  spec's prose rules) and its shorthand constructors;
- ``validator.py``: the validator (``validate_body``, ``check_e164``) and ``SpecBodies``,
  Dialpad's OpenAPI spec when found (``DIALPAD_OPENAPI_SPEC`` or ``../shared/``).

Every failure is a ``SimError(400)`` whose message starts with the field's path. The names
below are the package's API: ``from dialpad_sim.schemas import validate_body`` etc.
"""

from .bodies import BODIES, LICENSES, OFFICE_COUNTRIES, ROUTING_ACTIONS, TARGET_TYPE_ENUM
from .language import E164, HOURS, A, B, E, I, Line, Name, O, S
from .messaging import MESSAGING_BODIES
from .validator import (
    INT64_MAX,
    INT64_MIN,
    SpecBodies,
    check_e164,
    default_spec_path,
    is_e164,
    validate,
    validate_body,
)

__all__ = [
    "A", "B", "BODIES", "E", "E164", "HOURS", "I", "INT64_MAX", "INT64_MIN", "LICENSES",
    "Line", "MESSAGING_BODIES", "Name", "O", "OFFICE_COUNTRIES", "ROUTING_ACTIONS", "S",
    "SpecBodies", "TARGET_TYPE_ENUM", "check_e164", "default_spec_path", "is_e164",
    "validate", "validate_body",
]

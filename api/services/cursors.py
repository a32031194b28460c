"""The cursors of the API's lists: opaque to a caller (URL-safe base64 of where the next page
starts), read back to that place; anything else is refused as a request field error."""

from __future__ import annotations

import base64
import binascii

from api.errors import Invalid
from schemas.api import FieldError
from schemas.refusals import Reason


def after_id(cursor: str | None) -> str | None:
    """Where the page after ``cursor`` starts (None: at the start); not a cursor of this API: 422."""
    if cursor is None:
        return None
    try:
        padded = cursor.encode("ascii") + b"=" * (-len(cursor) % 4)
        after = base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
        if "\x00" in after:
            raise ValueError("not an id")
        return after
    except (binascii.Error, UnicodeError, ValueError):
        raise Invalid(
            Reason("api.not_a_cursor"),
            errors=[FieldError(loc=["query", "cursor"], msg="not a cursor of this API", type="cursor")],
        ) from None


def cursor_for(last: str) -> str:
    """The cursor of the page that starts after ``last``."""
    return base64.urlsafe_b64encode(last.encode("utf-8")).decode("ascii").rstrip("=")

"""The confirmation step (bước xác nhận) before an irreversible decision: finalize, recognize,
revoke, close, publish. One mechanism for every page that takes one.

The form of such a step is sent first without ``confirmed``: the page answers with what will be
recorded and a button that sends the same fields again with ``confirmed=yes`` (and the same
Idempotency key, so a double click is still one step). Nothing is recorded before that second
POST. The confirmation adds no rule: the engine decides on the confirmed POST as it always does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import Response
from starlette.datastructures import FormData

from web.pages import Page

CONFIRMED = "confirmed"


def confirmed(form: FormData) -> bool:
    """Whether the form is the confirmation's second POST."""
    value = form.get(CONFIRMED)
    return isinstance(value, str) and value == "yes"


@dataclass(frozen=True)
class Fact:
    """One line of what will be recorded: a label (already translated) and its value."""

    label: str
    value: str


def carried(form: FormData, names: Iterable[str]) -> list[tuple[str, str]]:
    """The form's fields ``names`` (every value of each, in order), to be sent again as they came."""
    pairs: list[tuple[str, str]] = []
    for name in names:
        pairs += [(name, value) for value in form.getlist(name) if isinstance(value, str)]
    return pairs


def confirmation(
    page: Page,
    *,
    title: str,
    facts: list[Fact],
    action: str,
    fields: list[tuple[str, str]],
    key: str,
    back: str,
    warning: str | None = None,
) -> Response:
    """The page asking to confirm: ``facts`` (what will be recorded), and a form sending ``fields``
    with ``key`` and ``confirmed=yes`` to ``action``; ``back`` returns without recording."""
    return page.render(
        "confirm.html",
        title=title,
        facts=facts,
        action=action,
        fields=fields,
        key=key,
        back=back,
        warning=warning,
        here=back,
    )

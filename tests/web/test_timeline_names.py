"""The journey page's timeline names the people who acted (issue 17: "names, not ids, everywhere"):
an actor an administrator linked to a party shows as the party's name, its id beside it; an actor
with no party shows as its id, as before."""

from __future__ import annotations

import html
import re

from schemas.roles import Role
from tests.api.cast import make_cast
from tests.api.harness import Api
from tests.web.test_http import Visitor

NAME = "Lê Thị Hoa"


def who_of(page: str, event_type: str) -> str:
    """The 'who' of the first timeline entry of ``event_type``, as the reader sees it."""
    entry = re.search(rf'<li class="event[^"]*" data-type="{event_type}".*?</li>', page, re.S)
    assert entry is not None, event_type
    who = re.search(r'<dd class="who">(.*?)</dd>', entry.group(0), re.S)
    assert who is not None
    return html.unescape(re.sub(r"<[^>]+>", "", who.group(1)))


async def test_the_timeline_names_the_officer_who_accepted_and_shows_an_unlinked_actor_by_id(
    api: Api,
) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    admin = await api.actor(Role.ADMINISTRATOR, "VN")
    linked = await admin.post(
        f"/v1/actors/{cast.commune_officer.id}/contact",
        {"display_name": NAME, "email": "hoa@hacthanh.example.vn", "language": "vi"},
    )
    assert linked.status_code == 200, linked.text

    reader = Visitor(api.http)
    await reader.sign_in(cast.producer.token)
    page = await reader.get(f"/journeys/{journey_id}")
    assert page.status_code == 200, page.text
    accepted = who_of(page.text, "dossier_accepted")
    assert accepted == f"{NAME} {cast.commune_officer.id} (Cán bộ cấp xã)", accepted
    registered = who_of(page.text, "idea_registered")
    assert registered == f"{cast.producer.id} (Chủ thể OCOP)", registered

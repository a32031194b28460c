"""A re-evaluation by written opinion on the council board (qd26-2026 Art. 7.6.d), over HTTP without
a browser: after a member asked for a meeting the chair's finalize is refused until it gives the day
the council met in person; with it, the result is recorded as decided at a meeting."""

from __future__ import annotations

import html
from datetime import date

from schemas.roles import Role
from tests.api.cast import CHOICES_80, ROUND_ID, acceptance, make_cast, upload_pdf
from tests.api.harness import Api
from tests.web.test_http import Visitor
from workflows.calendar import add_months


async def test_the_chair_finalizes_a_written_opinion_that_went_to_a_meeting_with_its_day(api: Api) -> None:
    cast = await make_cast(api)
    today = await cast.today()
    admin = await api.actor(Role.ADMINISTRATOR, "38")
    journey_id = "wo-board-1"
    imported = await admin.post(
        "/v1/journeys/import",
        {
            "journey_id": journey_id,
            "producer_id": cast.producer.id,
            "product_name": "Mật ong bạc hà",
            "product_group": "food",
            "province_code": 38,
            "commune_code": 14797,
            "rulebook_id": "qd148-2023",
            "level": "province",
            "stars": 4,
            "decision_number": "QĐ 3/QĐ-UBND",
            # 33 months ago: the re-evaluation window (T−180 to T−120) is open today.
            "decision_date": add_months(date.fromisoformat(today), -33).isoformat(),
        },
    )
    assert imported.status_code == 201, imported.text
    filed = [await upload_pdf(cast.producer, journey_id, "ho-so-danh-gia-lai")]
    # Imported with no product set: its re-evaluation, filed under qd26-2026, names it.
    await cast.producer.act(journey_id, "apply-re-evaluation", {"documents": filed, "product_set": "I.1.a"})
    report = await upload_pdf(cast.commune_officer, journey_id, "bao-cao-xa")
    body = await acceptance(cast.commune_officer, journey_id, report)
    await cast.commune_officer.act(journey_id, "accept-dossier", body)
    await cast.enrol(journey_id)
    for member in cast.voting:
        await member.act(journey_id, "submit-scorecard", {"choices": CHOICES_80})
    await cast.member.act(journey_id, "request-meeting", {"reason": "Cần thảo luận tiêu chí 2.2"})

    chair = Visitor(api.http)
    await chair.sign_in(cast.chair.token)
    board = f"/rounds/{ROUND_ID}/board"
    assert 'name="met_on"' in (await chair.get(board)).text
    refused = await chair.post(board, {"key": "", "journey_id": journey_id, "confirmed": "yes"})
    assert refused.status_code == 409, refused.text
    assert "met_on" in html.unescape(refused.text)
    done = await chair.post(board, {"key": "", "journey_id": journey_id, "met_on": today, "confirmed": "yes"})
    assert done.status_code == 303, done.text
    history = (await cast.chair.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    finalized = next(event for event in reversed(history) if event["type"] == "council_finalized")
    assert finalized["data"]["evaluation_mode"] == "meeting"
    assert (finalized["data"]["met_on"], finalized["data"]["meeting_grounds"]) == (today, ["requested"])

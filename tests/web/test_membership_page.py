"""A council's membership page (web/membership.py), over HTTP: the officer changes the seats (the
round opened earlier keeps its roster) and is refused a seat the engine refuses, with nothing
recorded; a member declares their own conflict of interest with a product being evaluated, which
the journey learns at once."""

from __future__ import annotations

import re

from schemas.roles import Role
from tests.api.cast import COUNCIL_ID, ROUND_ID, make_cast
from tests.api.harness import Api
from tests.factories import THANH_HOA
from tests.web.test_http import Visitor

PAGE = f"/councils/{COUNCIL_ID}/membership"


def seat_form(seats: list[tuple[str, str]], reason: str) -> dict[str, str]:
    form = {"reason": reason, "key": "0b0c1f55-9f55-4c43-9d5e-6f0b4b3c0d11"}
    for index, (member, role) in enumerate(seats, 1):
        form |= {f"seat_{index}_member": member, f"seat_{index}_role": role}
    return form


async def test_the_officer_changes_the_seats_and_a_member_declares_a_conflict(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round()
    await cast.enrol(journey_id)
    newcomer = await api.actor(Role.COUNCIL_MEMBER, str(THANH_HOA), f"{COUNCIL_ID}-m5")
    officer = Visitor(api.http)
    await officer.sign_in(cast.provincial_officer.token)
    council = await officer.get(f"/councils/{COUNCIL_ID}")
    assert f'href="{PAGE}"' in council.text
    page = await officer.get(PAGE)
    assert page.status_code == 200, page.text
    assert re.findall(r'<tr data-member="([^"]+)">', page.text) == [
        cast.chair.id, cast.vice_chair.id, cast.member.id, cast.secretary.id
    ]  # fmt: skip
    assert f'value="{cast.member.id}"' in page.text  # the form starts from the seats as they are
    # ... and from the regulation's provision for extra rounds as it is (Art. 5): this council has one.
    assert re.search(r'<input type="checkbox" id="extra_rounds_allowed"[^>]* checked>', page.text)

    # A seat the engine refuses (a producer): the page says why, nothing is recorded.
    before = await api.event_count()
    seats = [(cast.chair.id, "chair"), (cast.vice_chair.id, "vice_chair"), (cast.secretary.id, "secretary")]
    refused = await officer.post(PAGE, seat_form([*seats, (cast.producer.id, "member")], "Kiện toàn"))
    assert refused.status_code == 422, refused.text
    assert 'id="membership-refusal"' in refused.text
    assert await api.event_count() == before

    form = seat_form([*seats, (newcomer.id, "member")], "Kiện toàn Hội đồng")
    changed = await officer.post(PAGE, {**form, "extra_rounds_allowed": "yes"})
    assert changed.status_code == 303, changed.text
    view = (await cast.provincial_officer.get(f"/v1/councils/{COUNCIL_ID}")).json()["council"]
    assert view["extra_rounds_allowed"] is True  # kept, as the box was left ticked
    assert {seat["member_id"] for seat in view["seats"]} == {
        cast.chair.id, cast.vice_chair.id, cast.secretary.id, newcomer.id
    }  # fmt: skip
    round_ = (await cast.provincial_officer.get(f"/v1/rounds/{ROUND_ID}")).json()
    assert cast.member.id in {seat["member_id"] for seat in round_["council"]["seats"]}  # kept its roster
    done = await officer.get(changed.headers["location"])
    assert "Đã ghi nhận kiện toàn Hội đồng." in done.text

    # The chair declares their own conflict with the product: only themselves to choose.
    chair = Visitor(api.http)
    await chair.sign_in(cast.chair.token)
    page = await chair.get(PAGE)
    assert re.findall(
        r'<option value="([^"]+)"[^>]*>', page.text.split('id="conflict_member"')[1].split("</select>")[0]
    ) == [cast.chair.id]
    assert 'id="change-membership"' not in page.text  # a member does not change the seats
    declared = await chair.post(
        f"/councils/{COUNCIL_ID}/conflicts",
        {"member_id": cast.chair.id, "journey_id": journey_id, "reason": "người thân", "key": "x"},
    )
    assert declared.status_code == 303, declared.text
    journey = (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["evaluation"]["council"]["conflicts"] == [cast.chair.id]
    listed = await chair.get(declared.headers["location"])
    assert re.search(rf'<tr data-member="{cast.chair.id}" data-journey="{journey_id}">', listed.text)
    assert "Nem chua Thanh Hóa" in listed.text  # the product by its name
    # Someone else's conflict: refused as the API refuses it.
    other = await chair.post(
        f"/councils/{COUNCIL_ID}/conflicts",
        {"member_id": cast.vice_chair.id, "journey_id": journey_id, "key": "y"},
    )
    assert other.status_code == 403

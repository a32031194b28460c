"""Independent scoring on the pages (over HTTP, a real worker): the council board, the journey's
timeline and its JSON and CSV exports, the round's results and My work show a member who has not
scored yet who has scored, never another member's numbers; once they have scored, the board shows
them the others' totals."""

from __future__ import annotations

import re

from tests.api.cast import make_cast
from tests.api.harness import Api
from tests.api.test_independent_scoring import FIRST, ROUND_ID, SECOND, open_round
from tests.web.test_http import Visitor

# The first member's sheet (31.17 + 19.43 + 27.91 = 78.51) as the pages and the exports write it.
FIRST_WRITTEN = ("31,17", "19,43", "27,91", "78,51", "31.17", "19.43", "27.91", "78.51")


def cell(board: str, member_id: str) -> str:
    """The text of ``member_id``'s cell in the board's only product row."""
    found = re.search(rf'<td class="num" data-member="{re.escape(member_id)}">(.*?)</td>', board, re.S)
    assert found is not None, board
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


async def pages_of(visitor: Visitor, journey_id: str) -> dict[str, str]:
    paths = {
        "board": f"/rounds/{ROUND_ID}/board",
        "board_table": f"/rounds/{ROUND_ID}/board/table",
        "journey": f"/journeys/{journey_id}",
        "journey_as_of": f"/journeys/{journey_id}?as_of=2099-01-01",
        "json": f"/journeys/{journey_id}/history.json",
        "csv": f"/journeys/{journey_id}/history.csv",
        "results": f"/rounds/{ROUND_ID}/results",
        "work": "/",
    }
    texts = {}
    for name, path in paths.items():
        response = await visitor.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
        texts[name] = response.text
    return texts


def assert_no_numbers(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        for number in FIRST_WRITTEN:
            assert number not in text, f"{name} shows {number}"


async def test_the_board_shows_who_has_scored_not_what_until_a_member_has_scored(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    await open_round(cast, journey_id)
    first, second, chair = cast.vice_chair, cast.member, cast.chair
    await first.act(journey_id, "submit-scorecard", {"parts": FIRST})

    member = Visitor(api.http)
    await member.sign_in(second.token)
    before = await pages_of(member, journey_id)
    assert_no_numbers(before)
    assert cell(before["board"], first.id) == "đã chấm"
    assert cell(before["board"], second.id) == "chưa chấm"
    assert "Điểm của các thành viên khác hiện sau khi bạn nộp phiếu của mình" in before["board"]
    assert "1/2" in before["board"]  # the quorum count: who has scored
    assert 'data-type="scorecard_submitted"' in before["journey"]
    assert "Điểm được giữ kín" in before["journey"]

    # The chair, before their own sheet, and the officer see who, not what.
    for caller in (chair, cast.provincial_officer):
        visitor = Visitor(api.http)
        await visitor.sign_in(caller.token)
        texts = await pages_of(visitor, journey_id)
        assert_no_numbers(texts)
        assert cell(texts["board"], first.id) == "đã chấm"

    # Once the second member has scored, the board shows them the first member's total.
    await second.act(journey_id, "submit-scorecard", {"parts": SECOND})
    after = await member.get(f"/rounds/{ROUND_ID}/board")
    assert cell(after.text, first.id) == "78,51"
    assert cell(after.text, second.id) == "80,00"
    timeline = await member.get(f"/journeys/{journey_id}")
    assert "A 31,17" in timeline.text
    exported = await member.get(f"/journeys/{journey_id}/history.json")
    assert '"total": "78.51"' in exported.text

    # The chair still sees two sheets and no number.
    chair_page = Visitor(api.http)
    await chair_page.sign_in(chair.token)
    board = (await chair_page.get(f"/rounds/{ROUND_ID}/board")).text
    assert (cell(board, first.id), cell(board, second.id)) == ("đã chấm", "đã chấm")
    assert "78,51" not in board
    assert "80,00" not in board

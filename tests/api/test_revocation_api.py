"""Revocation under qd26-2026 through the API (Art. 8): the authority cites one of the six grounds
and the concluding document, which the provincial OCOP agency uploaded for the journey; without
them, or citing a document never uploaded, the step is refused and nothing is recorded."""

from __future__ import annotations

from datetime import date, timedelta

from tests.api.cast import Cast, upload_pdf


async def _certified(cast: Cast) -> str:
    journey_id = await cast.to_awaiting_round()
    await cast.evaluate(journey_id)
    await cast.authority.act(
        journey_id, "recognize", {"decision_number": "QĐ 15/QĐ-UBND", "decision_date": await cast.today()}
    )
    return journey_id


async def test_a_qd26_revocation_needs_its_ground_and_an_uploaded_conclusion(cast: Cast) -> None:
    journey_id = await _certified(cast)
    state = (await cast.authority.get(f"/v1/journeys/{journey_id}")).json()
    assert (state["status"], state["rulebook"]) == ("CERTIFIED", "qd26-2026")
    today = date.fromisoformat(await cast.today())
    concluded = today.isoformat()

    bare = await cast.authority.post(f"/v1/journeys/{journey_id}/revoke", {"grounds": "vi phạm"})
    assert bare.status_code == 422, bare.text
    never_uploaded = "sha256:" + "ab" * 32
    body = {
        "grounds": "Kết luận kiểm tra",
        "ground": "b",
        "conclusion": never_uploaded,
        "concluded_on": concluded,
    }
    cited = await cast.authority.post(f"/v1/journeys/{journey_id}/revoke", body)
    assert cited.status_code == 422, cited.text
    unknown = await cast.authority.post(f"/v1/journeys/{journey_id}/revoke", {**body, "ground": "g"})
    assert unknown.status_code == 422, unknown.text
    assert (await cast.authority.get(f"/v1/journeys/{journey_id}")).json()["status"] == "CERTIFIED"

    conclusion = await upload_pdf(cast.provincial_officer, journey_id, "ket-luan-kiem-tra")
    receipt = await cast.authority.act(
        journey_id, "revoke", {**body, "ground": "đ", "conclusion": conclusion}
    )
    assert receipt["event_types"] == ["revoked"]
    assert receipt["state"]["status"] == "REVOKED"
    history = (await cast.authority.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    [revoked] = [item for item in history if item["type"] == "revoked"]
    assert (revoked["data"]["ground"], revoked["data"]["conclusion"]) == ("đ", conclusion)
    assert revoked["data"]["decision_due"] == (today + timedelta(days=15)).isoformat()

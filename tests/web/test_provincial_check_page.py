"""The commune's and the province's steps under qd26-2026 (Art. 7.2–7.3) on the journey page, over
HTTP without a browser: the product code and the receipt shown, the commune's acceptance with its
Mẫu 03 assessment item by item and its proposal, the advisory team's step recorded by the provincial
agency from its form (the five steps by their Vietnamese names), and the agency's return of the file
for completion."""

from __future__ import annotations

import html
import re
import uuid

from tests.api.cast import CHOICES_80, make_cast, upload_pdf
from tests.api.harness import Api
from tests.web.test_http import Visitor
from tests.workflows.test_provincial_check import ASSESSMENT


async def test_the_provincial_agency_records_the_advisory_team_and_returns_the_file_from_the_page(
    api: Api,
) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    form01 = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form01]})

    clerk = Visitor(api.http)
    await clerk.sign_in(cast.commune_officer.token)
    page = html.unescape((await clerk.get(f"/journeys/{journey_id}")).text)
    assert "Số phiếu đăng ký" in page  # the receipt of the dossier received
    assert "/PĐK-38-" in page
    report = await upload_pdf(cast.commune_officer, journey_id, "mau-03")
    proposal = await upload_pdf(cast.commune_officer, journey_id, "de-nghi")
    assert "Sử dụng nguyên liệu địa phương" in page  # Mẫu 03's four items, one field each
    assert "Bản sắc, trí tuệ địa phương" in page
    step = {"key": "", "commune_report": report, "proposal": proposal}
    step.update({f"commune_assessment-{item}": text for item, text in ASSESSMENT.items()})
    done = await clerk.post(f"/journeys/{journey_id}/steps/accept-dossier", step)
    assert done.status_code == 303, done.text
    journey = (await cast.commune_officer.get(f"/v1/journeys/{journey_id}")).json()
    code = journey["product_code"]
    assert code.startswith("38-")
    assert code.endswith(f"-{(await cast.today())[:4]}")
    assert journey["commune_review"]["proposal"] == proposal
    assert journey["commune_review"]["assessment"] == ASSESSMENT
    page = html.unescape((await clerk.get(f"/journeys/{journey_id}")).text)
    assert 'id="step-return-dossier"' not in page  # with the province now: only its agency returns it

    agency = Visitor(api.http)
    await agency.sign_in(cast.provincial_officer.token)
    page = html.unescape((await agency.get(f"/journeys/{journey_id}")).text)
    assert code in page
    assert 'id="step-record-advisory-step"' in page
    for label in ("Khảo sát thực tế tại cơ sở", "Đề nghị bổ sung kết quả kiểm nghiệm", "Báo cáo đánh giá"):
        assert label in page
    minutes = await upload_pdf(cast.provincial_officer, journey_id, "bien-ban-khao-sat")
    today = await cast.today()
    form = {"key": "", "step": "site_survey", "held_on": today, "documents": minutes, "findings": "Đạt"}
    done = await agency.post(f"/journeys/{journey_id}/steps/record-advisory-step", form)
    assert done.status_code == 303, done.text

    returned = {"key": "", "missing_items": "Phiếu kiểm nghiệm vi sinh"}
    done = await agency.post(f"/journeys/{journey_id}/steps/return-dossier", returned)
    assert done.status_code == 303, done.text
    history = (await cast.provincial_officer.get(f"/v1/journeys/{journey_id}/history")).json()["events"]
    assert [event["type"] for event in history[-2:]] == ["advisory_step_recorded", "dossier_returned"]
    assert history[-2]["data"]["documents"] == [minutes]
    assert history[-1]["data"]["level"] == "province"
    assert (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()["status"] == "DOSSIER_RETURNED"


async def test_the_communes_acceptance_asks_for_mau_03_and_the_proposal_and_tells_what_is_missing(
    api: Api,
) -> None:
    """qd26-2026 Art. 6.2, 7.2.b: the acceptance form asks for each item of Mẫu 03 and the proposal
    (required, the proposal with its upload); sent without them, the page says in Vietnamese what is
    missing, and nothing is recorded."""
    cast = await make_cast(api)
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    plan = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": plan})
    await cast.commune_officer.act(journey_id, "approve-plan")
    form01 = await upload_pdf(cast.producer, journey_id, "form01")
    await cast.producer.act(journey_id, "submit-dossier", {"documents": [form01], "product_set": "I.1.a"})

    clerk = Visitor(api.http)
    await clerk.sign_in(cast.commune_officer.token)
    page = html.unescape((await clerk.get(f"/journeys/{journey_id}")).text)
    for item in ASSESSMENT:
        field = re.search(rf'<textarea id="accept-dossier-commune_assessment-{item}"[^>]*>', page)
        assert field is not None, item
        assert " required" in field.group(0), item
    proposal = re.search(r'<input id="accept-dossier-proposal"[^>]*>', page)
    assert proposal is not None
    assert " required" in proposal.group(0)
    assert 'id="accept-dossier-proposal-files"' in page  # uploaded from the form

    report = await upload_pdf(cast.commune_officer, journey_id, "mau-03")
    refused = await clerk.post(
        f"/journeys/{journey_id}/steps/accept-dossier", {"key": "", "commune_report": report}
    )
    assert refused.status_code == 422, refused.text
    told = re.search(
        r'<div class="refusal" role="alert" id="refusal-accept-dossier">(.*?)</div>',
        html.unescape(refused.text),
        re.S,
    )
    assert told is not None
    missing = "còn thiếu: Đánh giá của xã theo Mẫu số 03 (từng nội dung) và Văn bản đề nghị của UBND xã"
    assert missing in told.group(1)
    journey = (await cast.commune_officer.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["status"] == "DOSSIER_SUBMITTED"


async def test_a_member_is_told_before_scoring_that_the_council_waits_for_the_advisory_review(
    api: Api,
) -> None:
    # Art. 7.3.c before 7.3.d: the scoring page says so up front, and a sheet sent anyway is refused
    # in Vietnamese; once the agency records the review, the notice is gone and the sheet is taken.
    cast = await make_cast(api)
    journey_id = await cast.to_awaiting_round(advise=False)
    await cast.enrol(journey_id)
    member = Visitor(api.http)
    await member.sign_in(cast.member.token)
    page = html.unescape((await member.get(f"/journeys/{journey_id}/score")).text)
    assert 'id="advisory-awaited"' in page
    assert "Hội đồng chấm điểm sau khi Tổ tư vấn đánh giá hồ sơ" in page
    assert "Đánh giá hồ sơ" in page  # the step awaited, in the reader's words
    early = await api.http.post(
        f"/v1/journeys/{journey_id}/submit-scorecard",
        headers={**cast.member.auth, "Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "vi"},
        json={"choices": CHOICES_80},
    )
    assert early.status_code == 422, early.text
    assert early.json()["code"] == "AdvisoryReviewPending"
    assert "Tổ tư vấn" in early.json()["detail"]
    await cast.advise(journey_id)
    page = html.unescape((await member.get(f"/journeys/{journey_id}/score")).text)
    assert 'id="advisory-awaited"' not in page
    await cast.member.act(journey_id, "submit-scorecard", {"choices": CHOICES_80})

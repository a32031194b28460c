"""The commune's and the province's steps under qd26-2026 (Art. 7.2–7.3) on the journey page, over
HTTP without a browser: the product code and the receipt shown, the commune's acceptance with its
Mẫu 03 assessment item by item and its proposal, the advisory team's step recorded by the provincial
agency from its form (the five steps by their Vietnamese names), and the agency's return of the file
for completion."""

from __future__ import annotations

import html

from tests.api.cast import make_cast, upload_pdf
from tests.api.conftest import Api
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

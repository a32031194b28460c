"""The people of a Thanh Hóa journey, each an actor with a token, and steps through the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from demo import sample_pdf
from schemas.roles import Role
from schemas.scorecard import SHEETS
from tests.api.harness import Api, Caller
from tests.factories import COMMUNE_ASSESSMENT, HAC_THANH, THANH_HOA
from tests.scoresheets import sheet_body
from workflows.calendar import local_date

COUNCIL_ID = "HD-TH-2025"
ROUND_ID = "R-2025-1"
IDEA = {
    "product_name": "Nem chua Thanh Hóa",
    "product_group": "food",
    "province_code": THANH_HOA,
    "commune_code": HAC_THANH,
    # Its product set (QĐ 26/2026 Phụ lục I): under qd26-2026 a dossier needs one, and it picks the sheet.
    "product_set": "I.1.a",
}
SCORE_80 = {"A": "32.00", "B": "20.00", "C": "28.00"}  # on part totals (Cast.to_awaiting_round)
PAPER_BEFORE_QD26 = "2026-05-21"  # the eve of qd26-2026's cut-over
# A whole sheet of the idea's set (I.1.a) worth 80, one option per criterion: how members score it.
CHOICES_80 = sheet_body(SHEETS["qd26-2026"]["I.1.a"], "80")


@dataclass
class Cast:
    api: Api
    producer: Caller
    commune_officer: Caller
    provincial_officer: Caller
    chair: Caller
    vice_chair: Caller
    member: Caller
    secretary: Caller
    authority: Caller
    round_open: bool = field(default=False)

    @property
    def voting(self) -> list[Caller]:
        return [self.chair, self.vice_chair, self.member]

    @property
    def roster(self) -> dict[str, Any]:
        return {
            "council_id": COUNCIL_ID,
            "level": "province",
            "jurisdiction": str(THANH_HOA),
            "seats": [
                {"member_id": self.chair.id, "role": "chair"},
                {"member_id": self.vice_chair.id, "role": "vice_chair"},
                {"member_id": self.member.id, "role": "member"},
                {"member_id": self.secretary.id, "role": "secretary"},
            ],
        }

    async def register(self, producer: Caller | None = None) -> str:
        response = await (producer or self.producer).post("/v1/journeys", IDEA)
        assert response.status_code == 201, response.text
        journey_id: str = response.json()["journey_id"]
        return journey_id

    async def to_awaiting_round(self, *, scored_by_parts: bool = False, advise: bool = True) -> str:
        """Idea to an accepted dossier under today's rulebook (scored on the set's sheet); with
        ``scored_by_parts`` the dossier was handed in on paper on the eve of qd26-2026's cut-over, so
        it keeps qd148-1489-2025 (Art. 12.2) and is scored on three part totals. ``advise``: the
        advisory team's review (qd26-2026) is recorded too."""
        journey_id = await self.register()
        await self.commune_officer.act(journey_id, "accept-idea")
        plan = await upload_pdf(self.producer, journey_id, "plan")
        await self.producer.act(journey_id, "submit-plan", {"document": plan})
        await self.commune_officer.act(journey_id, "approve-plan")
        form = await upload_pdf(self.producer, journey_id, "form01")
        paper = {"submitted_on": PAPER_BEFORE_QD26} if scored_by_parts else {}
        await self.producer.act(journey_id, "submit-dossier", {"documents": [form], **paper})
        report = await upload_pdf(self.commune_officer, journey_id, "report")
        if scored_by_parts:  # the older rulebook's acceptance: the commune's report only
            await self.commune_officer.act(journey_id, "accept-dossier", {"commune_report": report})
            return journey_id
        await self.commune_officer.act(
            journey_id, "accept-dossier", await acceptance(self.commune_officer, journey_id, report)
        )
        if advise:
            await self.advise(journey_id)
        return journey_id

    async def advise(self, journey_id: str, agency: Caller | None = None) -> None:
        """The advisory team's review of the dossier (qd26-2026 Art. 7.3.c, 7.4.c), which its council
        waits for: recorded today, with its minutes, by the level's agency (the province's unless
        ``agency``)."""
        agency = agency or self.provincial_officer
        minutes = await upload_pdf(agency, journey_id, "advisory-review")
        await agency.act(
            journey_id,
            "record-advisory-step",
            {"step": "review", "held_on": await self.today(), "documents": [minutes]},
        )

    async def open_round(self) -> None:
        """Appoint the council and open its round ROUND_ID (once per cast)."""
        if self.round_open:
            return
        today = date.fromisoformat(await self.today())
        council = {
            "council_id": COUNCIL_ID,
            "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
            "level": "province",
            "jurisdiction": str(THANH_HOA),
            "seats": self.roster["seats"],
            "extra_rounds_allowed": True,  # rounds off the calendar (Art. 5)
        }
        appointed = await self.provincial_officer.post("/v1/councils", council)
        assert appointed.status_code == 201, appointed.text
        opened = await self.provincial_officer.post(
            "/v1/rounds",
            {
                "round_id": ROUND_ID,
                "name": "Đợt 1/2025",
                "council_id": COUNCIL_ID,
                "cut_off": (today + timedelta(days=30)).isoformat(),
                "meeting_date": (today + timedelta(days=35)).isoformat(),
            },
        )
        assert opened.status_code == 201, opened.text
        self.round_open = True

    async def enrol(self, journey_id: str) -> dict[str, Any]:
        """Enrol through the round (the only way in): the journey's receipt is read back after."""
        await self.open_round()
        enrolled = await self.provincial_officer.post(
            f"/v1/rounds/{ROUND_ID}/enrollments", {"journey_id": journey_id}
        )
        assert enrolled.status_code == 200, enrolled.text
        receipt: dict[str, Any] = enrolled.json()
        return receipt

    async def evaluate(self, journey_id: str) -> dict[str, Any]:
        """Enrol, score 80 each (whole sheets), finalize: the chair's receipt."""
        await self.enrol(journey_id)
        for member in self.voting:
            await member.act(journey_id, "submit-scorecard", {"choices": CHOICES_80})
        receipt: dict[str, Any] = await self.chair.act(journey_id, "finalize")
        return receipt

    async def today(self) -> str:
        return local_date(await self.api.env.get_current_time()).isoformat()


def pdf_of(label: str) -> bytes:
    """A tiny one-page PDF, different at every call (an erasure in one test never touches another's)."""
    return sample_pdf(f"{label} {uuid.uuid4()}")


async def upload(
    caller: Caller, journey_id: str, name: str, content: bytes, media_type: str
) -> httpx.Response:
    """POST the file as the multipart field ``file`` to the journey's documents."""
    return await caller.http.post(
        f"/v1/journeys/{journey_id}/documents",
        headers=caller.auth,
        files={"file": (name, content, media_type)},
    )


async def upload_pdf(caller: Caller, journey_id: str, label: str = "document") -> str:
    """Upload a tiny PDF for the journey (it must succeed); the reference commands cite."""
    response = await upload(caller, journey_id, f"{label}.pdf", pdf_of(label), "application/pdf")
    assert response.status_code == 201, f"upload {label}: {response.status_code} {response.text}"
    reference: str = response.json()["reference"]
    return reference


async def acceptance(commune_officer: Caller, journey_id: str, report: str) -> dict[str, Any]:
    """The commune's acceptance of a dossier under today's rulebook (qd26-2026 Art. 6.2, 7.2.b): its
    Mẫu 03 report, the assessment of its four items and its written proposal (uploaded here)."""
    proposal = await upload_pdf(commune_officer, journey_id, "proposal")
    return {"commune_report": report, "commune_assessment": COMMUNE_ASSESSMENT, "proposal": proposal}


async def make_cast(api: Api) -> Cast:
    province = str(THANH_HOA)
    return Cast(
        api=api,
        producer=await api.actor(Role.PRODUCER, province),
        commune_officer=await api.actor(Role.COMMUNE_OFFICER, str(HAC_THANH)),
        provincial_officer=await api.actor(Role.PROVINCIAL_OFFICER, province),
        chair=await api.actor(Role.COUNCIL_MEMBER, province, f"{COUNCIL_ID}-m1"),
        vice_chair=await api.actor(Role.COUNCIL_MEMBER, province, f"{COUNCIL_ID}-m2"),
        member=await api.actor(Role.COUNCIL_MEMBER, province, f"{COUNCIL_ID}-m3"),
        secretary=await api.actor(Role.COUNCIL_MEMBER, province, f"{COUNCIL_ID}-m4"),
        authority=await api.actor(Role.RECOGNITION_AUTHORITY, province),
    )

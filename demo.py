"""``ocop demo``: load a demonstration into a running engine, through its HTTP API.

The five provinces' plans as written (schemas/plans/: Thanh Hóa 2025 and 2024, Tây Ninh 2022, Phú Thọ
2020, Thái Bình 2020) and Thanh Hóa's for the current year (137 three-star, 20 four-star, 3 five-star,
160 in all). Thanh Hóa (38): the people
who take part (producers, commune officers, the provincial officer, a council of nine, the
recognition authority, an auditor), and a provincial round "Đợt 1/2026" of twelve products from
real communes, each taken from idea to the council's result; two are then recognized.

Every request carries an Idempotency-Key derived from what it does, so a re-run sends the same
requests: the engine records nothing twice. Tokens are shown once by the engine, so a second run
finds the round loaded, says so and shows where to look instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from vietnam_provinces import Ward

from schemas.plans import WRITTEN_PLANS
from schemas.rulebooks import DEFAULT_RULEBOOK_ID
from schemas.scorecard import PRODUCT_SETS, SHEETS
from workflows.calendar import VIETNAM
from workflows.sheets import sheet_worth

PROVINCE = 38
PROVINCE_NAME = "Thanh Hóa"
COUNCIL_ID = "HD-OCOP-TH"
ROUND_ID = "R-TH-2026-1"
ROUND_NAME = "Đợt 1/2026"
PLAN_YEAR = 2025
PLAN = {"targets": {"3": 137, "4": 20, "5": 3}, "total": 160}
# Namespace of the demo's Idempotency-Keys: one key per step, the same on every run.
KEYS = uuid.UUID("6f636f70-6465-6d6f-8000-000000000038")
# Product, group, commune (2025 name), each voting member's total (8 voting members).
PRODUCTS: list[tuple[str, str, str, list[str]]] = [
    ("Nem chua Hạc Thành", "food", "Phường Hạc Thành", ["74", "72", "75", "73", "71", "74", "72", "73"]),
    ("Chè lam Thọ Xuân", "food", "Xã Thọ Xuân", ["62", "64", "61", "63", "65", "62", "63", "64"]),
    ("Mắm tép Hà Trung", "food", "Xã Hà Trung", ["71", "70", "72", "73", "70", "71", "72", "70"]),
    ("Bánh gai Tứ Trụ", "food", "Xã Thọ Xuân", ["82", "84", "81", "83", "85", "82", "80", "83"]),
    ("Nước mắm Sầm Sơn", "food", "Phường Sầm Sơn", ["76", "78", "77", "75", "79", "76", "77", "78"]),
    ("Mật ong rừng Như Xuân", "food", "Xã Như Xuân", ["66", "68", "65", "67", "66", "69", "67", "66"]),
    ("Chiếu cói Nga Sơn", "handicrafts", "Xã Nga Sơn", ["88", "86", "87", "89", "85", "88", "87", "86"]),
    ("Rượu cần Ngọc Lặc", "drinks", "Xã Ngọc Lặc", ["58", "60", "57", "59", "61", "58", "60", "59"]),
    ("Gạo nếp cái hoa vàng Hậu Lộc", "food", "Xã Hậu Lộc", ["69", "71", "70", "72", "70", "71", "69", "70"]),
    ("Bưởi Luận Văn", "food", "Xã Thọ Xuân", ["54", "56", "55", "53", "57", "55", "54", "56"]),
    ("Giò chả Hoằng Hóa", "food", "Xã Hoằng Hóa", ["73", "75", "74", "72", "76", "74", "73", "75"]),
    ("Thịt trâu sấy Bá Thước", "food", "Xã Bá Thước", ["64", "66", "63", "65", "67", "64", "65", "66"]),
]
# The commune's Mẫu 03 assessment of the four items (QĐ 26/2026 Art. 7.2.a), as a commune writes it.
COMMUNE_ASSESSMENT = {
    "local_raw_material": "Nguyên liệu chính trồng, nuôi tại xã",
    "local_labour": "Lao động thường xuyên là người trong xã",
    "idea_origin": "Sản phẩm truyền thống của địa phương",
    "local_identity": "Cách làm theo kinh nghiệm của cộng đồng",
}
RECOGNIZED = 2  # the first products the council sent for recognition are recognized
SEATS = ["chair", "vice_chair", "member", "member", "member", "member", "member", "member", "secretary"]


class DemoError(Exception):
    """A request of the demo was refused: what, and the engine's answer."""


@dataclass
class Person:
    id: str
    role: str
    jurisdiction: str
    token: str
    label: str
    password: str | None = None  # the first password of their page sign-in (user name: the id)


@dataclass
class Summary:
    """What the demo loaded (or found loaded), and where to look."""

    api_url: str
    loaded_already: bool
    people: list[Person] = field(default_factory=list)
    journeys: dict[str, str] = field(default_factory=dict)  # product name -> journey id
    results: list[dict[str, Any]] = field(default_factory=list)
    progress: dict[int, dict[str, Any]] = field(default_factory=dict)  # year -> plan progress
    written: dict[str, dict[str, Any]] = field(default_factory=dict)  # shipped plan -> its progress
    admin_id: str | None = None
    admin_password: str | None = None  # None: the administrator had a page sign-in already


def communes_of_thanh_hoa() -> dict[str, int]:
    """Commune name -> 2025 code, for the province of Thanh Hóa."""
    return {ward.name: int(ward.code) for ward in Ward.iter_all() if int(ward.province_code) == PROVINCE}


def today_in_vietnam() -> date:
    """Today in Việt Nam, as the engine dates decisions (not the machine's zone)."""
    return datetime.now(VIETNAM).date()


def product_set_of(group: str) -> str:
    """The first product set (QĐ 26/2026 Phụ lục I) of the sector an older product group falls in."""
    classification = PRODUCT_SETS[DEFAULT_RULEBOOK_ID]
    sector = classification.sector_for_group(group)
    assert sector is not None, group
    return classification.sets_of_sector(sector.code)[0].code


def sheet_choices(group: str, total: str) -> dict[str, dict[str, object]]:
    """A member's whole sheet of the product's set worth ``total``, as the API takes it."""
    sheet = SHEETS[DEFAULT_RULEBOOK_ID][product_set_of(group)]
    return {
        code: choice.model_dump(mode="json", exclude_none=True)
        for code, choice in sheet_worth(sheet, total).items()
    }


def sample_pdf(title: str) -> bytes:
    """A one-page PDF showing ``title`` (ASCII): a stand-in for a scanned form of the dossier."""
    text = title.encode("ascii", "replace")
    for special in (b"\\", b"(", b")"):
        text = text.replace(special, b"\\" + special)
    content = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Demo:
    def __init__(self, http: httpx.AsyncClient, admin_token: str, echo: Callable[[str], None]) -> None:
        self.http = http
        self.admin = admin_token
        self.echo = echo

    async def call(
        self, method: str, path: str, token: str, step: str | None = None, body: Any = None
    ) -> Any:
        """One request; ``step`` names it, and gives its Idempotency-Key (commands only)."""
        headers = {"Authorization": f"Bearer {token}"}
        if step is not None:
            headers["Idempotency-Key"] = str(uuid.uuid5(KEYS, step))
        response = await self.http.request(method, path, headers=headers, json=body)
        if response.status_code >= 400:
            raise DemoError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json()

    async def person(self, actor_id: str, role: str, jurisdiction: str, label: str) -> Person:
        created = await self.call(
            "POST",
            "/v1/actors",
            self.admin,
            f"actor/{actor_id}",
            {"id": actor_id, "role": role, "jurisdiction": jurisdiction},
        )
        if not created.get("token"):
            raise DemoError(
                f"actor {actor_id} was created by an earlier, unfinished run of the demo and its token "
                "was shown then: load the demo into a fresh engine (e.g. a new `ocop dev --data-dir`)"
            )
        return Person(actor_id, role, jurisdiction, created["token"], label)

    async def sign_in(self, actor_id: str) -> str | None:
        """Give ``actor_id`` a page sign-in (user name: its id); its first password, or None if
        it has one already (an administrator who signed in before)."""
        response = await self.http.post(
            f"/v1/actors/{actor_id}/sign-in",
            headers={
                "Authorization": f"Bearer {self.admin}",
                "Idempotency-Key": str(uuid.uuid5(KEYS, f"sign-in/{actor_id}")),
            },
            json={"user_name": actor_id},
        )
        if response.status_code == 409:
            return None
        if response.status_code >= 400:
            raise DemoError(f"sign-in of {actor_id}: {response.status_code} {response.text[:500]}")
        password: str | None = response.json()["password"]
        return password

    async def act(self, person: Person, journey_id: str, action: str, body: Any = None) -> Any:
        return await self.call(
            "POST",
            f"/v1/journeys/{journey_id}/{action}",
            person.token,
            f"{journey_id}/{action}/{person.id}",
            body or {},
        )

    async def upload(self, person: Person, journey_id: str, name: str) -> str:
        """Upload a sample PDF named ``name`` for the journey's dossier; the reference commands cite.
        Uploads are idempotent by content (the same file twice is kept once)."""
        response = await self.http.post(
            f"/v1/journeys/{journey_id}/documents",
            headers={"Authorization": f"Bearer {person.token}"},
            files={"file": (f"{name}.pdf", sample_pdf(f"{name} {journey_id}"), "application/pdf")},
        )
        if response.status_code >= 400:
            raise DemoError(f"upload of {name}: {response.status_code} {response.text[:500]}")
        reference: str = response.json()["reference"]
        return reference

    async def loaded(self, summary: Summary) -> bool:
        """Is the round there already? Then fill the summary from what the engine holds."""
        response = await self.http.get(
            f"/v1/rounds/{ROUND_ID}/results", headers={"Authorization": f"Bearer {self.admin}"}
        )
        if response.status_code == 404:
            return False
        if response.status_code >= 400:
            raise DemoError(
                f"GET /v1/rounds/{ROUND_ID}/results: {response.status_code} {response.text[:500]}"
            )
        results = response.json()
        summary.results = results["rows"]
        summary.journeys = {row["product_name"]: row["journey_id"] for row in results["rows"]}
        for year in sorted({PLAN_YEAR, today_in_vietnam().year}):
            summary.progress[year] = await self.call(
                "GET", f"/v1/plans/{PROVINCE}/{year}/progress", self.admin
            )
        await self.written_progress(summary, self.admin)
        return True

    async def written_progress(self, summary: Summary, token: str) -> None:
        for name, plan in WRITTEN_PLANS.items():
            summary.written[name] = await self.call(
                "GET", f"/v1/plans/{plan.province_code}/{plan.year}/progress", token
            )

    async def run(self, api_url: str) -> Summary:
        summary = Summary(api_url=api_url, loaded_already=False)
        me = await self.call("GET", "/v1/me", self.admin)
        if me["role"] != "administrator":
            raise DemoError(f"the token is a {me['role']}'s: the demo needs an administrator's")
        if await self.loaded(summary):
            summary.loaded_already = True
            self.echo(f"The demonstration is loaded already (round {ROUND_ID} exists): nothing to do.")
            return summary
        communes = communes_of_thanh_hoa()
        used = sorted({commune for _, _, commune, _ in PRODUCTS})
        missing = [name for name in used if name not in communes]
        if missing:
            raise DemoError(f"not communes of {PROVINCE_NAME}: {missing}")

        self.echo("creating the people of the demonstration…")
        province = str(PROVINCE)
        officer = await self.person(
            "th-provincial-officer",
            "provincial_officer",
            province,
            "Sở Nông nghiệp và Môi trường Thanh Hóa (provincial officer)",
        )
        authority = await self.person(
            "th-ubnd-tinh", "recognition_authority", province, "UBND tỉnh Thanh Hóa (recognition authority)"
        )
        auditor = await self.person("th-auditor", "auditor", province, "Thanh tra tỉnh (auditor)")
        commune_officers: dict[str, Person] = {}
        for name in used:
            commune_officers[name] = await self.person(
                f"th-commune-officer-{communes[name]}",
                "commune_officer",
                str(communes[name]),
                f"UBND {name} (commune officer)",
            )
        members = [
            await self.person(f"{COUNCIL_ID}-m{index}", "council_member", province, f"council {role}")
            for index, role in enumerate(SEATS, start=1)
        ]
        producers = [
            await self.person(f"th-producer-{index:02}", "producer", province, f"producer of {product}")
            for index, (product, _, _, _) in enumerate(PRODUCTS, start=1)
        ]
        summary.people = [officer, authority, auditor, *commune_officers.values(), *members, *producers]
        self.echo(f"  {len(summary.people)} actors")
        # Page sign-ins for one of each kind of person, and for the administrator running the demo.
        for person in (officer, authority, auditor, members[0], producers[0]):
            person.password = await self.sign_in(person.id)
        summary.admin_id = me["id"]
        summary.admin_password = await self.sign_in(me["id"])

        self.echo("setting the provinces' plans as written…")
        for name, written in WRITTEN_PLANS.items():
            await self.call(
                "PUT",
                f"/v1/plans/{written.province_code}/{written.year}",
                self.admin,
                f"plan/{name}",
                written.body(reason=written.reference),
            )
            self.echo(f"  {name}: {len(written.goals)} goals ({written.reference})")
        planned = {(written.province_code, written.year) for written in WRITTEN_PLANS.values()}
        for year in sorted({PLAN_YEAR, today_in_vietnam().year} - {y for p, y in planned if p == PROVINCE}):
            reason = "Kế hoạch phát triển sản phẩm OCOP năm " + str(year)
            await self.call(
                "PUT",
                f"/v1/plans/{PROVINCE}/{year}",
                officer.token,
                f"plan/{year}",
                {**PLAN, "reason": reason},
            )
            self.echo(f"  {year}: 137 three-star, 20 four-star, 3 five-star, 160 in all")

        self.echo("appointing the provincial council (9 members)…")
        await self.call(
            "POST",
            "/v1/councils",
            officer.token,
            f"council/{COUNCIL_ID}",
            {
                "council_id": COUNCIL_ID,
                "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
                "level": "province",
                "jurisdiction": province,
                "seats": [{"member_id": m.id, "role": role} for m, role in zip(members, SEATS, strict=True)],
                # Its regulation provides for extra rounds (QĐ 26/2026 Art. 5): the demo's round is
                # a week away, not on the national calendar's cut-off.
                "extra_rounds_allowed": True,
                "reason": "Quyết định thành lập Hội đồng",
            },
        )

        self.echo(f"registering {len(PRODUCTS)} products and taking them to a round…")
        journeys: dict[str, str] = {}
        for (product, group, commune, _), producer in zip(PRODUCTS, producers, strict=True):
            registered = await self.call(
                "POST",
                "/v1/journeys",
                producer.token,
                f"register/{product}",
                {
                    "product_name": product,
                    "product_group": group,
                    "province_code": PROVINCE,
                    "commune_code": communes[commune],
                    # QĐ 26/2026 Phụ lục I: its set picks the sheet the council scores it on.
                    "product_set": product_set_of(group),
                },
            )
            journey_id = registered["journey_id"]
            journeys[product] = journey_id
            clerk = commune_officers[commune]
            await self.act(clerk, journey_id, "accept-idea", {})
            plan = await self.upload(producer, journey_id, "phuong-an-san-xuat")
            await self.act(producer, journey_id, "submit-plan", {"document": plan})
            await self.act(clerk, journey_id, "approve-plan", {})
            documents = [await self.upload(producer, journey_id, name) for name in ("mau-01", "mau-02")]
            await self.act(producer, journey_id, "submit-dossier", {"documents": documents})
            # QĐ 26/2026 Art. 6.2, 7.2.b: the commune sends its Mẫu 03 report, with its assessment
            # of the four items, and its written proposal to the province.
            report = await self.upload(clerk, journey_id, "mau-03-bao-cao-xa")
            proposal = await self.upload(clerk, journey_id, "van-ban-de-nghi-cua-xa")
            acceptance = {
                "commune_report": report,
                "commune_assessment": COMMUNE_ASSESSMENT,
                "proposal": proposal,
            }
            await self.act(clerk, journey_id, "accept-dossier", acceptance)
            # Art. 7.3.c: the council's advisory team reviews the dossier before the council scores.
            minutes = await self.upload(officer, journey_id, "bien-ban-to-tu-van")
            review = {"step": "review", "held_on": today_in_vietnam().isoformat(), "documents": [minutes]}
            await self.act(officer, journey_id, "record-advisory-step", review)
            self.echo(f"  {product} ({commune}): {journey_id}, dossier accepted and reviewed")
        summary.journeys = journeys

        self.echo(f"opening the round {ROUND_NAME} and enrolling the products…")
        today = today_in_vietnam()
        await self.call(
            "POST",
            "/v1/rounds",
            officer.token,
            f"round/{ROUND_ID}",
            {
                "round_id": ROUND_ID,
                "name": ROUND_NAME,
                "council_id": COUNCIL_ID,
                "cut_off": (today + timedelta(days=7)).isoformat(),
                "meeting_date": (today + timedelta(days=14)).isoformat(),
            },
        )
        for journey_id in journeys.values():
            await self.call(
                "POST",
                f"/v1/rounds/{ROUND_ID}/enrollments",
                officer.token,
                f"round/{ROUND_ID}/enrol/{journey_id}",
                {"journey_id": journey_id},
            )
        self.echo(f"  {len(journeys)} enrolled")

        self.echo("the council scores every product…")
        voting = [m for m, role in zip(members, SEATS, strict=True) if role != "secretary"]
        for product, group, _, totals in PRODUCTS:
            journey_id = journeys[product]
            for member, total in zip(voting, totals, strict=True):
                await self.act(
                    member, journey_id, "submit-scorecard", {"choices": sheet_choices(group, total)}
                )
            finalized = await self.act(members[0], journey_id, "finalize", {"failed_mandatory_criteria": []})
            result = finalized["state"]["results"][-1]
            self.echo(f"  {product}: mean {result['mean']}")

        self.echo(f"closing {ROUND_NAME} and publishing its results…")
        await self.call("POST", f"/v1/rounds/{ROUND_ID}/close", officer.token, f"round/{ROUND_ID}/close", {})
        published = await self.call(
            "POST", f"/v1/rounds/{ROUND_ID}/publish", officer.token, f"round/{ROUND_ID}/publish", {}
        )
        summary.results = published["state"]["results"]

        self.echo("the province recognizes the first products…")
        recognizable = [row for row in summary.results if row["next_step"].startswith("recognize")]
        for number, row in enumerate(recognizable[:RECOGNIZED], start=1):
            await self.act(
                authority,
                row["journey_id"],
                "recognize",
                {
                    "decision_number": f"QĐ {number:03}/QĐ-UBND",
                    "decision_date": today.isoformat(),
                },
            )
            self.echo(f"  {row['product_name']}: {row['stars']}★, QĐ {number:03}/QĐ-UBND")
        for year in sorted({PLAN_YEAR, today.year}):
            summary.progress[year] = await self.call(
                "GET", f"/v1/plans/{PROVINCE}/{year}/progress", auditor.token
            )
        await self.written_progress(summary, self.admin)
        return summary


async def load_demo(
    http: httpx.AsyncClient, admin_token: str, echo: Callable[[str], None] = print
) -> Summary:
    """Load the demonstration through the API ``http`` talks to (base URL set), as the administrator
    whose token is given; print progress with ``echo``. Safe to run again."""
    summary = await Demo(http, admin_token, echo).run(str(http.base_url).rstrip("/"))
    report(summary, echo)
    return summary


def report(summary: Summary, echo: Callable[[str], None]) -> None:
    """Where to look, and with which tokens."""
    url = summary.api_url
    echo("")
    echo(f"Results of {ROUND_NAME} ({ROUND_ID}):")
    for row in summary.results:
        mean = row["mean"] if row["mean"] is not None else "—"
        stars = "★" * row["stars"] if row["stars"] else "—"
        echo(f"  {row['product_name']:<32} {mean:>6}  {stars:<5} {row['next_step']}")
    for year, progress in summary.progress.items():
        line = ", ".join(f"{star['stars']}★ {star['new']}/{star['target']}" for star in progress["by_star"])
        echo(
            f"Plan {year} of {PROVINCE_NAME}: {line}; "
            f"{progress['total_new']}/{progress['total_target']} in all"
        )
    for name, progress in summary.written.items():
        goals = ", ".join(
            f"{goal['goal']['kind']} {goal['achieved']} ({goal['remaining']} to go)"
            for goal in progress["goals"]
        )
        echo(f"Plan {name}: {goals}")
    echo("")
    echo("Where to look (send Authorization: Bearer <token>):")
    echo(f"  round results   {url}/v1/rounds/{ROUND_ID}/results")
    echo(f"  the round       {url}/v1/rounds/{ROUND_ID}")
    echo(f"  the council     {url}/v1/councils/{COUNCIL_ID}")
    echo(f"  plan progress   {url}/v1/plans/{PROVINCE}/{PLAN_YEAR}/progress")
    echo(f"  statistics      {url}/v1/statistics?province={PROVINCE}")
    echo(f"  API docs        {url}/docs")
    for product, journey_id in summary.journeys.items():
        echo(f"  {product:<32} {url}/v1/journeys/{journey_id}/history")
    if summary.people:
        echo("")
        echo("Tokens of the demo's actors (shown this once):")
        for person in summary.people:
            echo(f"  {person.id:<28} {person.role:<22} {person.token}  {person.label}")
        signing_in = [(p.id, p.password) for p in summary.people if p.password]
        if summary.admin_id and summary.admin_password:
            signing_in.insert(0, (summary.admin_id, summary.admin_password))
        if signing_in:
            echo("")
            echo(f"Page sign-ins at {url}/signin (user name, first password; changed at the first sign-in;")
            echo("administrators and recognition authorities then enrol a TOTP authenticator app):")
            for user_name, password in signing_in:
                echo(f"  {user_name:<28} {password}")
    elif summary.loaded_already:
        echo("")
        echo("The actors' tokens were shown when the demo was first loaded.")

"""A round driven through the pages in Chromium by separately signed-in actors, a screenshot a step
(test-output/screenshots/round-*.png), every page scanned for untranslated English text, and the
member's and the chair's pages at 375 px wide without a horizontal scroll.

On the pages: a producer registers a product idea and builds its dossier with uploaded documents
(business plan, dossier, naming its product set I.1.a), the commune accepts the idea, the plan and
the dossier with its uploaded report, its Mẫu 03 assessment and its proposal; the provincial agency
appoints the council and reads its membership page, opens the round and enrols the waiting products
(several at once); each voting member fills each product's I.1.a sheet (an option a criterion,
worth 80), the chair finalizes each one on the board (with its confirmation), the recognition
authority signs ONE decision for all of them, the agency closes and publishes the round, the plan
and the statistics show the recognitions, and an auditor reads a product's verified record. The
API creates only the first administrator: the administrator creates every other account on
/actors/new (each signs in with the token its page showed once); each of the three products comes
through the same intake pages (the first one's steps shot); the provincial officer sets the year's
plan on its form. The API is read, never written, to check the outcome (the certificates, means).

Every page seen is also checked for form fields without an accessible label (a <label>, wrapping
or by ``for``, aria-label or aria-labelledby: ``tests.web.conftest.unlabelled_fields``).

The untranslated-text scan (``english_sentences``) is a heuristic: a visible text node outside an
element marked ``lang="en"`` is flagged when it holds a run of ``ENGLISH_RUN`` words that occur in
the engine's English messages and in none of its Vietnamese ones (identifiers, hashes, numbers and
dates are not words), or a snake_case identifier (``producer_id``: an untranslated field name or
code), or a text that is only an event's field name (``level``) or one English word of four
letters or more (``food``). ``test_the_scan_finds_an_english_sentence``
shows it failing on a deliberately English string and a planted ``producer_id`` first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.async_api import BrowserContext, Page, expect

from schemas.refusals import TEMPLATES as REFUSAL_TEMPLATES
from schemas.roles import Role
from schemas.scorecard import SHEETS
from tests.api.cast import COUNCIL_ID, make_cast, pdf_of
from tests.api.harness import Api, Caller
from tests.factories import HAC_THANH, THANH_HOA
from tests.scoresheets import sheet_for_total
from tests.web.conftest import SCREENSHOTS, WAIT_MS, Site, shot, unlabelled_fields
from web.i18n import EVENT_FIELDS, MESSAGES
from workflows.calendar import local_date

pytestmark = pytest.mark.slow

ROUND_ID = "R-WHOLE-1"
PRODUCTS = 3
FOOD_SET = "I.1.a"  # the products' set (Phụ lục I), whose sheet the members fill
# A whole I.1.a sheet worth 80 (the star minimums kept as high as 80 allows): 4★ at the province.
SHEET_80 = sheet_for_total(SHEETS["qd26-2026"][FOOD_SET], "80")
PRODUCT_NAMES = ("Nem chua Hạc Thành", "Chè lam Hạc Thành", "Bánh gai Hạc Thành")
PLAN_TARGETS = {3: 137, 4: 20, 5: 3}
PLAN_TOTAL = 160
DECISION = "QĐ 2468/QĐ-UBND"
# A run of this many English words in one text node reads as an English sentence.
ENGLISH_RUN = 3
_WORD = re.compile(r"[A-Za-zÀ-ỹĐđ]+")
# English the scan tolerates: none. (The finalization blocker on My work and the board, the engine's
# quorum refusal, was the last: web/board.py now tells it in the page's language.)
KNOWN_UNTRANSLATED: tuple[re.Pattern[str], ...] = ()


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


VIETNAMESE_WORDS = set().union(*(_words(vi) for vi, _ in MESSAGES.values()))
# The engine's English: the pages' catalogue and the refusals' (schemas/refusals.py), where most of the
# English a page could show comes from.
ENGLISH_TEXTS = [en for _, en in MESSAGES.values()] + [en for _, en in REFUSAL_TEMPLATES.values()]
ENGLISH_WORDS = {
    word for word in set().union(*(_words(en) for en in ENGLISH_TEXTS)) if len(word) > 1
} - VIETNAMESE_WORDS


# A raw identifier of the engine, as a field name or code shown untranslated: snake_case words of
# letters only (producer_id, receipt_number, re_evaluation); ids, hashes and codes hold digits or dashes.
_SNAKE_CASE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")
# An event's field name shown bare as a whole text (``level``, ``mean``, ``stars``): the timeline's
# fields, all worded in web.i18n.EVENT_FIELDS.
FIELD_WORDS = {name for name in EVENT_FIELDS if "_" not in name}


def english_sentences(texts: list[str]) -> list[str]:
    """The texts holding a run of ``ENGLISH_RUN`` English words, a snake_case identifier, or only an
    event's field name (see the module's docstring)."""
    found = []
    for text in texts:
        bare = text.strip(".,;:!?()\"'").lower()
        if bare in FIELD_WORDS or (len(bare) >= 4 and bare in ENGLISH_WORDS):
            found.append(text)  # a field's name, or one English word standing alone ("food")
            continue
        run = 0
        for token in text.split():
            if _SNAKE_CASE.match(token.strip(".,;:!?()\"'«»“”‘’…")):
                found.append(text)
                break
            if re.search(r"[\d_:/@.=-]", token.strip(".,;:!?()\"'")):
                run = 0  # an identifier, a hash, a number, a date, an address
                continue
            word = token.strip(".,;:!?()\"'«»“”‘’…").lower()
            run = run + 1 if word in ENGLISH_WORDS else 0
            if run >= ENGLISH_RUN:
                found.append(text)
                break
    return found


VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !el || el.closest('script, style, [lang="en"]')) continue;
    if (!el.getClientRects().length) continue;  // not rendered (hidden, closed <details>)
    texts.push(text);
  }
  return texts;
}"""


class Tour:
    """The pages seen in the test: each scanned for English, each step's screenshot taken."""

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = {}
        # Each page's form fields without an accessible label (a <label>, aria-label, aria-labelledby).
        self.unlabelled: dict[str, list[str]] = {}
        # Each screenshot's name and the page it shows (its path), in the order taken.
        self.shots: dict[str, str] = {}

    async def step(self, page: Page, name: str, *, shoot: bool = True) -> None:
        """Scan the page (its English, its unlabelled fields); its screenshot if ``shoot``."""
        await page.wait_for_load_state("domcontentloaded")
        where = f"{name} {page.url} #{len(self.seen)}"
        if await page.evaluate("() => document.documentElement.lang") == "vi":
            self.seen[where] = await page.evaluate(VISIBLE_TEXTS)
        if fields := await unlabelled_fields(page):
            self.unlabelled[where] = fields
        if shoot:
            await shot(page, f"round-{name}")
            self.shots[f"round-{name}.png"] = urlsplit(page.url).path

    def write_index(self) -> None:
        """test-output/screenshots/round-pages.txt: each screenshot and the page it shows."""
        lines = [f"{name}\t{path}" for name, path in self.shots.items()]
        (SCREENSHOTS / "round-pages.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def english(self) -> dict[str, list[str]]:
        found = {where: english_sentences(texts) for where, texts in self.seen.items()}
        return {where: texts for where, texts in found.items() if texts}


async def no_horizontal_scroll(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    client = await page.evaluate("() => document.documentElement.clientWidth")
    assert width <= client, f"{page.url}: {width} px wide in a {client} px viewport"


async def narrow(site: Site, caller: Caller) -> tuple[BrowserContext, Page]:
    """``caller`` signed in on a 375-px-wide phone screen."""
    context = await site.browser.new_context(
        base_url=site.base_url, locale="vi-VN", viewport={"width": 375, "height": 740}
    )
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    await page.goto("/signin")
    await page.get_by_label("Mã truy cập").fill(caller.token)
    await page.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
    return context, page


async def take_step(
    tour: Tour,
    page: Page,
    journey_id: str,
    action: str,
    uploads: tuple[str, ...] = (),
    shot_name: str = "",
    *,
    choose: dict[str, str] | None = None,
    texts: str = "",
    fill: dict[str, str] | None = None,
    shoot: bool = True,
) -> None:
    """Open the journey page, open the step's form, upload a document for each field of
    ``uploads``, choose ``choose``'s options and type ``fill``'s values (field → value), write
    ``texts`` in each item of the commune's Mẫu 03 assessment if given, send it."""
    await page.goto(f"/journeys/{journey_id}")
    step = page.locator("details.step", has=page.locator(f"#step-{action}"))
    await step.locator("summary").click()
    for upload in uploads:
        name = f"{action}-{upload}.pdf"
        files = step.locator(f"#{action}-{upload}-files")
        await files.set_input_files({"name": name, "mimeType": "application/pdf", "buffer": pdf_of(name)})
    await expect(step.locator("li.upload-done")).to_have_count(len(uploads))
    for name, value in (choose or {}).items():
        await step.locator(f"#{action}-{name}").select_option(value)
    for name, value in (fill or {}).items():
        await step.locator(f"#{action}-{name}").fill(value)
    if texts:
        items = step.locator(f"#{action}-commune_assessment textarea")
        for index in range(await items.count()):
            await items.nth(index).fill(texts)
    if shot_name:
        await tour.step(page, shot_name, shoot=shoot)
    await step.locator(f"#step-{action} > button[type=submit]").click()
    await expect(page.locator("#done")).to_be_visible()


@dataclass
class People:
    """The accounts the administrator creates on /actors/new, each with the token its page showed once."""

    producer: Caller
    commune_officer: Caller
    provincial_officer: Caller
    chair: Caller
    vice_chair: Caller
    member: Caller
    secretary: Caller
    authority: Caller
    auditor: Caller

    @property
    def voting(self) -> list[Caller]:
        return [self.chair, self.vice_chair, self.member]


# Who the administrator creates: (field, role, jurisdiction, id); the council's seats keep the ids
# the council form is filled with.
ACCOUNTS = (
    ("producer", Role.PRODUCER, str(THANH_HOA), "chu-the-hac-thanh"),
    ("commune_officer", Role.COMMUNE_OFFICER, str(HAC_THANH), "cb-xa-hac-thanh"),
    ("provincial_officer", Role.PROVINCIAL_OFFICER, str(THANH_HOA), "cb-tinh-thanh-hoa"),
    ("chair", Role.COUNCIL_MEMBER, str(THANH_HOA), f"{COUNCIL_ID}-m1"),
    ("vice_chair", Role.COUNCIL_MEMBER, str(THANH_HOA), f"{COUNCIL_ID}-m2"),
    ("member", Role.COUNCIL_MEMBER, str(THANH_HOA), f"{COUNCIL_ID}-m3"),
    ("secretary", Role.COUNCIL_MEMBER, str(THANH_HOA), f"{COUNCIL_ID}-m4"),
    ("authority", Role.RECOGNITION_AUTHORITY, str(THANH_HOA), "ubnd-thanh-hoa"),
    ("auditor", Role.AUDITOR, str(THANH_HOA), "kiem-toan-thanh-hoa"),
)


async def create_account(
    tour: Tour, admin: Page, api: Api, role: Role, jurisdiction: str, actor_id: str, *, shoot: bool
) -> Caller:
    """The administrator creates the account on /actors/new, confirms, and reads its token once
    (the first from the actors' page's link; the others straight on the form)."""
    if shoot:
        await admin.goto("/actors")
        await tour.step(admin, "a0-1-admin-actors")
        await admin.get_by_role("link", name="Tạo tác nhân mới").click()
    else:
        await admin.goto("/actors/new")
    await admin.get_by_label("Vai trò").select_option(role.value)
    await admin.get_by_label("Địa bàn").fill(jurisdiction)
    await admin.get_by_label("Mã tác nhân").fill(actor_id)
    await tour.step(admin, "a0-2-actor-form", shoot=shoot)
    await admin.get_by_role("button", name="Tạo tác nhân").click()
    await expect(admin.locator("#confirm-facts")).to_contain_text(actor_id)
    await tour.step(admin, "a0-3-actor-confirm", shoot=shoot)
    await admin.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(admin.get_by_role("heading", level=1)).to_have_text(f"Tác nhân {actor_id}")
    token = (await admin.locator("#once-value").inner_text()).strip()
    kind = "xã" if role == Role.COMMUNE_OFFICER else "tỉnh"  # the jurisdiction's kind in Vietnamese
    await expect(admin.locator("dl.facts")).to_contain_text(f"{kind} {jurisdiction}")
    await tour.step(admin, "a0-4-actor-token-once", shoot=shoot)
    return Caller(api.http, actor_id, role, token)


async def accounts_through_pages(site: Site, tour: Tour) -> People:
    """The first administrator (the only actor the API creates) creates every other account."""
    api = site.api
    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA), "admin-thanh-hoa")
    context, page = await site.signed_in(admin)
    made = {
        field: await create_account(tour, page, api, role, place, actor_id, shoot=index == 0)
        for index, (field, role, place, actor_id) in enumerate(ACCOUNTS)
    }
    await context.close()
    return People(**made)


async def intake_through_pages(
    tour: Tour, producer: Page, commune: Page, product_name: str, prefix: str, *, shoot: bool = True
) -> str:
    """A producer registers a product idea and builds its dossier with uploaded documents; the
    commune accepts the idea, the business plan and the dossier (with its report): all on pages.
    ``prefix`` names the steps' pages (a screenshot each when ``shoot``)."""
    if shoot:  # the first product from My work's link; the others straight on the form
        await producer.goto("/")
        await tour.step(producer, f"{prefix}1-producer-my-work")
        await producer.get_by_role("link", name=re.compile("ý tưởng")).first.click()
    else:
        await producer.goto("/ideas/new")
    await producer.locator("#product_name").fill(product_name)
    await producer.locator("#product_group").select_option("food")
    await producer.locator("#commune_code").select_option(str(HAC_THANH))
    await tour.step(producer, f"{prefix}2-idea-form", shoot=shoot)
    await producer.locator("#register").click()
    await expect(producer.get_by_role("heading", level=1)).to_have_text(f"Hành trình: {product_name}")
    await expect(producer.locator("#status")).to_have_text("Đã đăng ký ý tưởng")
    journey_id = producer.url.split("/journeys/")[1].split("?")[0]
    if shoot:
        await commune.goto("/")
        await tour.step(commune, f"{prefix}3-commune-my-work")
    await take_step(tour, commune, journey_id, "accept-idea", shot_name=f"{prefix}4-accept-idea", shoot=shoot)
    plan_shot = f"{prefix}5-business-plan-uploaded"
    await take_step(tour, producer, journey_id, "submit-plan", ("document",), plan_shot, shoot=shoot)
    await take_step(tour, commune, journey_id, "approve-plan")
    await take_step(
        tour,
        producer,
        journey_id,
        "submit-dossier",
        ("documents",),
        f"{prefix}6-dossier-uploaded",
        choose={"product_set": FOOD_SET},  # its set of Phụ lục I: the sheet it is scored on
        shoot=shoot,
    )
    await tour.step(producer, f"{prefix}7-dossier-submitted", shoot=shoot)
    await take_step(
        tour,
        commune,
        journey_id,
        "accept-dossier",
        ("commune_report", "proposal"),  # Mẫu 03 and the commune's proposal (qd26-2026 Art. 6.2)
        f"{prefix}8-commune-report-uploaded",
        texts="Đạt yêu cầu theo Mẫu số 03",
        shoot=shoot,
    )
    await expect(commune.locator("#status")).to_have_text("Chờ đợt đánh giá")
    await tour.step(commune, f"{prefix}9-dossier-accepted", shoot=shoot)
    return journey_id


async def products_awaiting_a_round(site: Site, people: People, tour: Tour) -> list[str]:
    """Each of the PRODUCTS products taken to AWAITING_ROUND on the pages (the first one's steps shot)."""
    producer_context, producer = await site.signed_in(people.producer)
    commune_context, commune = await site.signed_in(people.commune_officer)
    journeys = [
        await intake_through_pages(tour, producer, commune, name, prefix, shoot=index == 0)
        for index, (name, prefix) in enumerate(zip(PRODUCT_NAMES, "abc", strict=True))
    ]
    for context in (producer_context, commune_context):
        await context.close()
    return journeys


async def test_the_scan_finds_an_english_sentence(site: Site) -> None:
    english = "the journey records no district, so no district council sits for it"
    assert english_sentences([english]) == [english]
    assert english_sentences(["part A is scored from 0 to 40; got 45.00"]) != []
    vietnamese = [
        "Hành trình không ghi nhận huyện nào",
        "Đăng nhập: council_member-3f2a (Thành viên Hội đồng)",  # an id is not a sentence
        "Nem chua Thanh Hóa",
        "sha256:9f86d081884c7d659a2feaa0c55ad015",
        "QĐ 2468/QĐ-UBND — 01/12/2026",
        "OCOP — Hệ thống đánh giá, phân hạng sản phẩm",
        "I.1.a",  # a product set's code
        "HD-TH-2025-m3",
        "sha256:form01, sha256:e0e0e0e0e0e0",
        "Bánh gai Hạc Thành",
    ]
    assert english_sentences(vietnamese) == []
    # A raw field name or code: snake_case anywhere in a text, or a field's name standing alone.
    for raw in ("producer_id", "Chủ thể: producer_id", "(missing_items)", "level", "Mean", "food"):
        assert english_sentences([raw]) == [raw], raw
    # On a rendered page: a deliberately English sentence put into it is found, and only it.
    cast = await make_cast(site.api)
    context, page = await site.signed_in(cast.provincial_officer)
    tour = Tour()
    await tour.step(page, "00-scan-check")
    assert tour.english() == {}
    await page.evaluate(f"() => document.querySelector('main').append({english!r})")
    tour.seen.clear()
    await tour.step(page, "00-scan-check")
    assert list(tour.english().values()) == [
        [await page.locator("main").evaluate("m => m.lastChild.textContent")]
    ]
    # A raw field name as the timeline once showed it: <dt><code>producer_id</code></dt>.
    await page.evaluate(
        """() => { const code = document.createElement('code'); code.textContent = 'producer_id';
                   document.querySelector('main').lastChild.remove();
                   document.querySelector('main').append(code); }"""
    )
    tour.seen.clear()
    await tour.step(page, "00-scan-check", shoot=False)
    assert list(tour.english().values()) == [["producer_id"]]
    # The labels check likewise: My work's fields are labelled; a field put in with none is found.
    assert tour.unlabelled == {}
    await page.evaluate(
        """() => { const field = document.createElement('input'); field.name = 'unlabelled';
                   document.querySelector('main').append(field); }"""
    )
    await tour.step(page, "00-scan-check", shoot=False)
    assert list(tour.unlabelled.values()) == [['<input name="unlabelled">']]
    await context.close()


async def test_a_round_through_the_pages(site: Site) -> None:
    api = site.api
    tour = Tour()
    people = await accounts_through_pages(site, tour)
    journeys = await products_awaiting_a_round(site, people, tour)
    today = local_date(await api.env.get_current_time())

    # -- the provincial agency sets the year's plan on its page
    officer_context, officer = await site.signed_in(people.provincial_officer)
    await tour.step(officer, "01-officer-my-work")
    await officer.goto(f"/plans/{THANH_HOA}/{today.year}")
    await expect(officer.locator("#no-plan")).to_be_visible()
    for stars, target in PLAN_TARGETS.items():
        await officer.get_by_label(f"Chỉ tiêu {'★' * stars}", exact=True).fill(str(target))
    await officer.get_by_label("Chỉ tiêu tổng số sản phẩm mới").fill(str(PLAN_TOTAL))
    await tour.step(officer, "01a-plan-form")
    await officer.get_by_role("button", name="Ghi kế hoạch").click()
    await expect(officer.locator("#confirm-facts")).to_contain_text(str(PLAN_TOTAL))
    await tour.step(officer, "01b-plan-confirm")
    await officer.get_by_role("button", name="Xác nhận và ghi nhận").click()
    await expect(officer.locator("#done")).to_have_text("Đã ghi kế hoạch.")
    await expect(officer.locator("#plan tr[data-stars='3'] td").nth(0)).to_have_text(str(PLAN_TARGETS[3]))
    await tour.step(officer, "01c-plan-set")

    # -- the advisory team's review of each dossier (Art. 7.3.c), which the council waits for
    for index, journey_id in enumerate(journeys):
        await take_step(
            tour,
            officer,
            journey_id,
            "record-advisory-step",
            ("documents",),
            "01d-advisory-review",
            choose={"step": "review"},
            fill={"held_on": today.isoformat()},
            shoot=index == 0,
        )

    # -- appoints the council on its page
    await officer.goto("/councils/new")
    await officer.get_by_label("Mã Hội đồng").fill(COUNCIL_ID)
    await officer.get_by_label("Tên Hội đồng").fill(
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa"
    )
    seats = [
        (people.chair, "chair"),
        (people.vice_chair, "vice_chair"),
        (people.member, "member"),
        (people.secretary, "secretary"),
    ]
    for index, (member, role) in enumerate(seats, 1):
        await officer.locator(f"#seat_{index}_member").fill(member.id)
        await officer.locator(f"#seat_{index}_role").select_option(role)
    # Its regulation provides for rounds beyond the national calendar (Art. 5): this one is such.
    await officer.get_by_label(
        "Quy chế hoạt động của Hội đồng quy định tổ chức thêm đợt đánh giá ngoài lịch"
    ).check()
    await tour.step(officer, "02-council-form")
    await officer.locator("#appoint").click()
    await expect(officer.locator("#done")).to_be_visible()
    await expect(officer.locator("#extra-rounds")).to_contain_text("cho phép tổ chức thêm đợt")
    await officer.locator("#membership-link").click()
    await expect(officer.locator("#seats tbody tr")).to_have_count(len(seats))
    await tour.step(officer, "03-council-membership")

    # -- opens the round and enrols the waiting products, all at once
    await officer.goto(f"/rounds/new?council={COUNCIL_ID}")
    await officer.locator("#round_name").fill("Đợt 1/2026")
    await officer.locator("#round_id").fill(ROUND_ID)
    await officer.locator("#round_cut_off").fill((today + timedelta(days=3)).isoformat())
    await officer.locator("#round_meeting").fill((today + timedelta(days=5)).isoformat())
    await tour.step(officer, "04-round-form")
    await officer.locator("#open").click()
    await expect(officer.locator("#done")).to_be_visible()
    waiting = officer.locator("#enrol input[name=journey_id]")
    await expect(waiting).to_have_count(PRODUCTS)
    for index in range(PRODUCTS):
        await waiting.nth(index).check()
    await tour.step(officer, "05-round-opened")
    await officer.locator("#enrol-button").click()
    await expect(officer.locator("#round-products tbody tr")).to_have_count(PRODUCTS)
    await tour.step(officer, "06-products-enrolled")

    # -- each voting member scores each product on the scoring page (one of them on a phone)
    for number, member in enumerate(people.voting):
        if number == 0:
            context, page = await narrow(site, member)
        else:
            context, page = await site.signed_in(member)
        to_score = page.locator(
            "section.work", has=page.get_by_role("heading", name=re.compile("^Sản phẩm cần chấm"))
        )
        await expect(to_score.locator(".items li")).to_have_count(PRODUCTS)
        if number == 0:
            await tour.step(page, "07-member-my-work-375px")
            await no_horizontal_scroll(page)
        for journey_id in journeys:
            await page.goto(f"/journeys/{journey_id}/score")
            for code, choice in SHEET_80.items():  # an option of each criterion of the sheet
                await page.locator(f"#opt-{code.replace('.', '_')}-{choice.option}").check()
            if number == 0 and journey_id == journeys[0]:
                await no_horizontal_scroll(page)
                await tour.step(page, "08-scorecard-375px")
            await page.locator("#score-submit").click()
            await expect(page.locator("#preview-text")).to_contain_text("tổng 80,00")
            if number == 0 and journey_id == journeys[0]:
                await tour.step(page, "09-scorecard-preview-375px")
            await page.locator("#score-confirm").click()
            await expect(page.locator("#saved")).to_be_visible()
        await context.close()

    # -- the chair finalizes each product on the board, after its confirmation (on a phone)
    chair_context, chair = await narrow(site, people.chair)
    await chair.goto(f"/rounds/{ROUND_ID}/board")
    await no_horizontal_scroll(chair)
    await tour.step(chair, "10-board-375px")
    for journey_id in journeys:
        await chair.goto(f"/rounds/{ROUND_ID}/board")
        row = chair.locator(f"tr[data-journey='{journey_id}']")
        await expect(row.locator(".mean")).to_have_text("80,00")
        await row.get_by_role("button", name="Chốt kết quả").click()
        await expect(chair.locator("#confirm-facts")).to_be_visible()
        if journey_id == journeys[0]:
            await no_horizontal_scroll(chair)
            await tour.step(chair, "11-finalize-confirm-375px")
        await chair.locator("#confirm").click()
        await expect(chair.get_by_role("status")).to_be_visible()
    await tour.step(chair, "12-board-finalized-375px")
    await chair_context.close()

    # -- the recognition authority signs one decision for every product
    authority_context, authority = await site.signed_in(people.authority)
    await tour.step(authority, "13-authority-my-work")
    await authority.get_by_role("link", name="Ký một quyết định cho nhiều sản phẩm").click()
    boxes = authority.locator("#awaiting input[name=journey_id]")
    await expect(boxes).to_have_count(PRODUCTS)
    for index in range(PRODUCTS):
        await boxes.nth(index).check()
    await authority.get_by_label("Số quyết định").fill(DECISION)
    await tour.step(authority, "14-decision-form")
    await authority.locator("#sign-button").click()
    await expect(authority.locator("#confirm-facts")).to_contain_text(DECISION)
    await tour.step(authority, "15-decision-confirm")
    await authority.locator("#confirm").click()
    await expect(authority.locator("#done")).to_contain_text(f"{PRODUCTS} sản phẩm được công nhận")
    await tour.step(authority, "16-decision-recorded")
    certificates = set()
    for journey_id in journeys:
        state = (await people.authority.get(f"/v1/journeys/{journey_id}")).json()
        assert state["status"] == "CERTIFIED"
        assert state["certificate"]["decision_number"] == DECISION
        certificates.add(state["certificate"]["number"])
    assert len(certificates) == PRODUCTS
    await authority_context.close()

    # -- the agency closes and publishes the round (each after its confirmation)
    await officer.goto(f"/rounds/{ROUND_ID}")
    for step in ("close", "publish"):
        await officer.locator(f"#{step} button[type=submit]").click()
        await expect(officer.locator("#confirm-facts")).to_be_visible()
        await tour.step(officer, f"17-{step}-confirm")
        await officer.locator("#confirm").click()
        await expect(officer.locator("#done")).to_be_visible()
    await expect(officer.locator("#round-status")).to_have_attribute("data-status", "results_published")
    await officer.goto(f"/rounds/{ROUND_ID}/results")
    await expect(officer.locator("#results tbody tr")).to_have_count(PRODUCTS)
    await expect(officer.locator("#results .next").first).to_have_text("Đã được công nhận")
    await tour.step(officer, "18-results-published")

    # -- the plan shows the progress, the statistics count the recognitions
    await officer.goto(f"/plans/{THANH_HOA}/{today.year}")
    await expect(officer.locator("#plan tr[data-stars='4'] td").nth(1)).to_have_text(str(PRODUCTS))
    await tour.step(officer, "19-plan-progress")
    await officer.goto("/statistics")
    await expect(officer.locator("#chart-stars g[data-label='★★★★']")).to_have_attribute(
        "data-count", str(PRODUCTS)
    )
    await tour.step(officer, "20-statistics")
    await officer_context.close()

    # -- an auditor verifies a product's record
    reader_context, reader = await site.signed_in(people.auditor)
    await reader.goto(f"/journeys/{journeys[0]}")
    await expect(reader.locator("#verification")).to_have_attribute("data-ok", "true")
    await tour.step(reader, "21-auditor-verifies")
    await reader_context.close()

    tour.write_index()
    means = {
        Decimal((await people.authority.get(f"/v1/journeys/{j}")).json()["results"][-1]["mean"])
        for j in journeys
    }
    assert means == {Decimal("80.00")}
    english = tour.english()
    unknown = {
        where: [text for text in texts if not any(known.search(text) for known in KNOWN_UNTRANSLATED)]
        for where, texts in english.items()
    }
    assert {where: texts for where, texts in unknown.items() if texts} == {}, (
        f"untranslated English on Vietnamese pages: {english}"
    )
    assert tour.unlabelled == {}, f"form fields without an accessible label: {tour.unlabelled}"

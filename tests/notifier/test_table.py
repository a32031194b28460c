"""Who is told what: the table names only events that exist (or is marked pending), each row has
both languages, and each row, on its event, tells exactly its recipients (resolved from the
engine's own state: the journey's producer, the actors by role and jurisdiction, the council)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest
from pydantic import BaseModel

from notifier.follower import Notifier, notice_words
from notifier.mail import FolderChannel
from notifier.table import NOTICES, pending_rows, row_for
from notifier.templates import LANGUAGES, TEMPLATES, render
from schemas.council import Council
from schemas.events import (
    CarriedOver,
    Certificate,
    CertificateExpired,
    CertificateExtended,
    CouncilFinalized,
    DeadlineMissed,
    DossierResubmitted,
    DossierReturned,
    DossierSubmitted,
    EnrolledInRound,
    ExpiryNoticeSent,
    IdeaAccepted,
    IdeaReturned,
    InspectionDue,
    PlanReturned,
    Recognized,
    ReEvaluationApplied,
    ReEvaluationWindowClosing,
    ReEvaluationWindowOpened,
    ResultApproved,
    ResultNoticeIssued,
    Revoked,
    SentBackForEvaluation,
    UpgradeApplied,
)
from schemas.log import StreamRef
from schemas.round import ResultRow, ResultsPublished, RoundDeadlineMissed, RoundOpened
from store.notices import NoticeStore
from tests.notifier.scene import DAY, ROSTER, cast, journey, record, register
from tests.schemas.test_event_corpus import STREAMS, event_types

CORPUS = Path(__file__).resolve().parents[1] / "schemas" / "event_corpus"
CERTIFICATE = Certificate(
    number="TH-2026-017",
    stars=4,
    level="province",
    decision_number="QĐ-123/UBND",
    decision_date=date(2026, 3, 2),
    valid_until=date(2029, 3, 1),
    rulebook="qd148-1489-2025",
)
DOCUMENTS = ["sha256:" + "ab" * 32]
PRODUCER = {"producer-1"}
COMMUNE = {"commune-1"}

# The round of the round rows: Thanh Hóa's provincial council (no one is told of its opening).
ROUND_OPENED = RoundOpened(
    round_id="R-1",
    name="Đợt 2/2026",
    council=Council(
        council_id=ROSTER.council_id, name="Hội đồng OCOP tỉnh Thanh Hóa", level=ROSTER.level,
        jurisdiction=ROSTER.jurisdiction, seats=ROSTER.seats,
    ),
    cut_off=date(2026, 10, 30),
    meeting_date=date(2026, 11, 20),
)  # fmt: skip

# Each row of the table: the stream it hangs on, its event, and who must be told (no one else).
ROW_CASES: dict[str, tuple[str, BaseModel, set[str]]] = {
    "idea_returned": ("journey", IdeaReturned(reason="Chưa nêu rõ nguồn nguyên liệu"), PRODUCER),
    "plan_returned": ("journey", PlanReturned(reason="Thiếu kế hoạch tiêu thụ"), PRODUCER),
    "result_approved": (
        "journey",
        ResultApproved(
            level="province",
            mean=Decimal("91.00"),
            stars=5,
            decision_number="QĐ-45/UBND",
            decision_date=date(2026, 3, 2),
            forward_to="central",
        ),
        PRODUCER | COMMUNE | {"central-1"},  # the agency that prepares the central council's round
    ),
    "sent_back_for_evaluation": (
        "journey",
        SentBackForEvaluation(level="province"),
        PRODUCER | {"province-1"},  # the agency of the level whose council evaluates it again
    ),
    "result_notice_issued": (
        "journey",
        ResultNoticeIssued(
            level="province", mean=Decimal("62.50"), stars=2, notified=["producer", "commune"],
            commune_code=14797,
        ),
        PRODUCER | COMMUNE,  # no decision for 1★ or 2★: the producer and the commune are told in writing
    ),
    "dossier_returned": (
        "journey",
        DossierReturned(missing_items=["Phiếu kiểm nghiệm", "Giấy ATTP"], completion_due=DAY),
        PRODUCER,
    ),
    "commune_report_due.dossier_submitted": (
        "journey",
        DossierSubmitted(variant="new", documents=DOCUMENTS, commune_report_due=DAY),
        COMMUNE,
    ),
    "commune_report_due.upgrade_applied": (
        "journey",
        UpgradeApplied(documents=DOCUMENTS, commune_report_due=DAY),
        COMMUNE,
    ),
    "commune_report_due.re_evaluation_applied": (
        "journey",
        ReEvaluationApplied(documents=DOCUMENTS, commune_report_due=DAY),
        COMMUNE,
    ),
    "commune_report_due.dossier_resubmitted": (
        "journey",
        DossierResubmitted(documents=DOCUMENTS, commune_report_due=DAY),
        COMMUNE,
    ),
    "commune_report_missed": (
        "journey",
        DeadlineMissed(deadline="commune_report", due=DAY, due_from="commune_officer"),
        COMMUNE | {"province-1"},
    ),
    "deadline_missed": (
        "journey",
        DeadlineMissed(deadline="recognition", due=DAY, due_from="recognition_authority"),
        {"authority-1", "province-1"},
    ),
    "re_evaluation_window_opened": (
        "journey",
        ReEvaluationWindowOpened(
            certificate_number="TH-2026-017",
            valid_until=date(2029, 3, 1),
            opens_on=date(2028, 9, 2),
            closes_on=date(2028, 11, 1),
            rulebook="qd26-2026",
        ),
        PRODUCER | {"province-1"},
    ),
    "re_evaluation_window_closing": (
        "journey",
        ReEvaluationWindowClosing(certificate_number="TH-2026-017", closes_on=date(2028, 11, 1)),
        PRODUCER | {"province-1"},
    ),
    "certificate_extended": (
        "journey",
        CertificateExtended(
            certificate_number="TH-2026-017",
            valid_until=date(2029, 3, 1),
            extended_until=date(2029, 8, 28),
            filed_late=True,
        ),
        PRODUCER,
    ),
    "scorecard_awaited": (
        "journey",
        EnrolledInRound(round_id="R-1", level="province", council=ROSTER),
        {"m-chair", "m-two"},  # not the secretary, not the member with a conflict
    ),
    "scorecard_awaited.carried_over": (
        "journey",
        CarriedOver(from_round="R-1", to_round="R-2", council=ROSTER),
        {"m-chair", "m-two"},
    ),
    "result_finalized": (
        "journey",
        CouncilFinalized(
            round_id="R-1",
            level="province",
            council_id="HD-TH",
            scorecards=3,
            mean=Decimal("82.50"),
            stars=4,
            outcome="recognize",
        ),
        PRODUCER | COMMUNE,
    ),
    "round_results_overdue": (
        "round",
        RoundDeadlineMissed(due=date(2026, 12, 30), due_from="provincial_officer"),
        {"province-1"},  # the provincial agency of the council's province, not another province's
    ),
    "results_published": (
        "round",
        ResultsPublished(
            results=[
                ResultRow(
                    journey_id="J-1",
                    product_name="Nem chua Thanh Hóa",
                    mean=Decimal("82.50"),
                    stars=4,
                    outcome="recognize",
                    next_step="recognition",
                )
            ]
        ),
        PRODUCER | COMMUNE,
    ),
    "recognized": (
        "journey",
        Recognized(
            level="province",
            stars=4,
            decision_number="QĐ-123/UBND",
            decision_date=date(2026, 3, 2),
            certificate=CERTIFICATE,
        ),
        PRODUCER,
    ),
    "certificate_expired": (
        "journey",
        CertificateExpired(certificate_number="TH-2026-017", valid_until=date(2029, 3, 1)),
        PRODUCER,
    ),
    "revoked": (
        "journey",
        Revoked(certificate_number="TH-2026-017", grounds="Vi phạm an toàn thực phẩm"),
        PRODUCER,
    ),
    "expiry_notice": (
        "journey",
        ExpiryNoticeSent(certificate_number="TH-2026-017", valid_until=date(2029, 3, 1)),
        PRODUCER,
    ),
    "inspection_due": (
        "journey",
        InspectionDue(
            certificate_number="TH-2026-017",
            stars=4,
            due_on=date(2027, 10, 15),
            counted_from="inspection",
            since=date(2026, 10, 15),
            interval_days=365,
        ),
        {"province-1"},  # the provincial agency covering the product's province, not another province's
    ),
}


def _existing_types() -> dict[str, set[str]]:
    return {stream: set(event_types(union)) for stream, (union, _) in STREAMS.items()}


def test_every_row_that_is_not_pending_hangs_on_an_event_type_that_exists() -> None:
    existing = _existing_types()
    unknown = [
        (r.name, r.stream, r.event_type)
        for r in NOTICES
        if not r.pending and r.event_type not in existing.get(r.stream, set())
    ]
    assert unknown == []


def test_the_rows_without_an_event_yet_are_listed_and_their_events_do_not_exist() -> None:
    pending = {row.name: row.event_type for row in pending_rows()}
    assert pending == {}  # inspection_due, the last, has its event (qd26-2026 Art. 9)
    existing = _existing_types()
    # When one of these events lands, its row must stop being pending (and get its case below).
    assert [t for t in pending.values() if t in existing["journey"]] == []


def test_each_row_has_a_case_here_and_both_languages() -> None:
    assert set(ROW_CASES) == {row.name for row in NOTICES if not row.pending}
    for row in NOTICES:
        if row.pending:
            continue  # its words come with its event
        assert set(TEMPLATES[row.template]) == set(LANGUAGES), row.name
    assert len({row.name for row in NOTICES}) == len(NOTICES)


def test_at_most_one_row_matches_any_stored_event() -> None:
    for sample in sorted(CORPUS.glob("*/*.json")):
        stored = json.loads(sample.read_text(encoding="utf-8"))
        data = stored.get("data", {})
        matching = [
            r.name
            for r in NOTICES
            if r.stream == sample.parent.name and r.event_type == sample.stem and r.matches(data)
        ]
        assert len(matching) <= 1, (sample.name, matching)
    assert row_for("journey", "idea_accepted", {}) is None


@pytest.mark.parametrize("name", sorted(ROW_CASES))
async def test_the_row_tells_exactly_its_recipients_in_both_channels(
    name: str, store_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    stream_type, event, expected = ROW_CASES[name]
    await cast(store_pool)
    await register(store_pool)
    await record(store_pool, journey("J-1"), IdeaAccepted())  # tells no one
    stream = journey("J-1") if stream_type == "journey" else StreamRef(type="round", id="R-1")
    if stream_type == "round":  # the round's opening names its council (and so its jurisdiction)
        await record(store_pool, stream, ROUND_OPENED)
    [event_id] = await record(store_pool, stream, event)
    notifier = Notifier(store_pool, FolderChannel(tmp_path))
    while await notifier.follow_once():
        pass
    rows = await store_pool.fetch("SELECT recipient, channel, kind, event_id FROM notices ORDER BY recipient")
    assert {(r["recipient"], r["channel"]) for r in rows} == {
        (who, ch) for who in expected for ch in ("inbox", "email")
    }
    assert {r["event_id"] for r in rows} == {event_id}
    assert {r["kind"] for r in rows} == {name}
    store = NoticeStore(store_pool)
    for who in expected:
        [notice] = await store.inbox(who)
        for lang in LANGUAGES:
            words = await notice_words(store, notice, lang)
            assert words is not None
            assert words.subject
            assert "{" not in words.subject + words.body
            assert "None" not in words.subject + words.body  # an optional field left out is "—"


def test_the_words_name_the_levels_and_leave_out_what_the_event_left_out() -> None:
    _, approved, _ = ROW_CASES["result_approved"]
    facts = {"journey": "J-1", "product": "Mật ong bạc hà"}
    vi = render("result_approved", "vi", approved.model_dump(mode="json"), facts)
    assert "chuyển Hội đồng cấp trung ương" in vi.subject
    assert "Kết quả đánh giá cấp tỉnh" in vi.body
    assert "02/03/2026" in vi.body
    en = render("result_approved", "en", approved.model_dump(mode="json"), facts)
    assert "passed to the central council" in en.subject
    _, sent_back, _ = ROW_CASES["sent_back_for_evaluation"]
    words = render("sent_back_for_evaluation", "vi", sent_back.model_dump(mode="json"), facts)
    assert words.body.endswith("Văn bản: —.")
    _, returned, _ = ROW_CASES["idea_returned"]
    words = render("idea_returned", "vi", returned.model_dump(mode="json"), facts)
    assert "Lý do: Chưa nêu rõ nguồn nguyên liệu" in words.body

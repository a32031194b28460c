"""What each printed document holds, read from the log: a journey's stream folded up to the event
the document prints (a recognition, a council result), a round's stream up to its published
results, and the producers' organisation names.

Each document comes with its identity: its kind, its subject and its sources (the layout's version
and the hashes of the events it is printed from, which cover their content). Printed again from the
same sources it must be the same bytes (``store.issued``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from printed.documents import (
    CertificateDocument,
    DecisionDocument,
    Issuer,
    MemberLine,
    MinutesDocument,
    ProductLine,
    ResultLine,
    ScoresheetDocument,
    certificate_pdf,
    decision_pdf,
    minutes_pdf,
    scoresheet_pdf,
)
from printed.pdf import lay_out
from printed.pdf import short_date as pdf_short_date
from schemas.events import (
    Certificate,
    CertificateExpired,
    CertificateSuperseded,
    CertifiedImported,
    CouncilFinalized,
    Recognized,
    Revoked,
    parse_event,
)
from schemas.journey import JourneyState, Scorecard
from schemas.log import RecordedEvent, StreamRef
from schemas.round import ROUND_EVENT, ResultsPublished, RoundState, RoundStatus
from schemas.rulebook import Level
from schemas.rulebooks import get_rulebook
from store import EventStore
from store.issued import IssuedDocuments
from workflows import places
from workflows.calendar import local_date
from workflows.lifecycle import evolve
from workflows.round_rules import evolve_round
from workflows.sheets import journey_sheet, scorecard_rows

# Part of every document's sources: a change of layout issues every document anew instead of
# refusing it as changed. Raise it with any change to what printed/documents.py draws.
LAYOUT_VERSION = 2

OrganisationNames = Callable[[Collection[str]], Awaitable[dict[str, str]]]
"""Producer id -> the organisation's name (chủ thể), for those the producers' register knows."""


async def no_names(producer_ids: Collection[str]) -> dict[str, str]:
    """No register: every producer is printed by its id."""
    return {}


class NothingToPrint(Exception):
    """The log holds no such document yet (no recognition, no finalized result, no published round)."""


@dataclass(frozen=True)
class Printed:
    """A rendered document and what identifies it."""

    kind: str
    subject: str
    sources: str
    content: bytes
    filename: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _sources(kind: str, hashes: Sequence[str]) -> str:
    digest = hashlib.sha256("\n".join(hashes).encode()).hexdigest()
    return f"{kind}/layout-{LAYOUT_VERSION}/{digest}"


# web's modules are imported when first used: importing the web package loads its pages, and one of
# them (web/printed.py) is built on this module.
def _messages() -> dict[str, tuple[str, str]]:
    from web.i18n import MESSAGES

    return MESSAGES


def _public_url(journey_id: str, base_url: str | None) -> str:
    from web.public_urls import public_product_url

    return public_product_url(journey_id, base_url)


def _words(key: str) -> str:
    """The Vietnamese words of ``key``: documents are printed in Vietnamese."""
    return _messages()[key][0]


def _trace(stream: StreamRef, event: RecordedEvent) -> str:
    return f"In từ nhật ký OCOP · {stream.type}:{stream.id} · phiên bản {event.version} · #{event.hash[:12]}"


def _filename(prefix: str, name: str) -> str:
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in name).strip("-")
    return f"{prefix}-{safe or 'ocop'}.pdf"


def issuer_of(level: Level, province_code: int, district: str | None, authority: str | None) -> Issuer:
    """Who issues a document of ``level``: the provincial People's Committee (or a district's under
    older rulebooks), or the ministry for the central level; ``authority`` is the recorded signer."""
    if level == Level.CENTRAL:
        return Issuer(
            body="BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
            place="Hà Nội",
            signer="BỘ TRƯỞNG",
            authority=authority or "Bộ trưởng Bộ Nông nghiệp và Môi trường",
        )
    name = places.province_name(province_code)
    short = name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    province = name if name.startswith(("Thành phố", "Tỉnh")) else f"tỉnh {name}"
    if level == Level.DISTRICT and district:
        return Issuer(
            body=f"ỦY BAN NHÂN DÂN {district}".upper(),
            place=short,
            signer="CHỦ TỊCH",
            authority=authority or f"Chủ tịch UBND {district}",
        )
    return Issuer(
        body=f"ỦY BAN NHÂN DÂN {province}".upper(),
        place=short,
        signer="CHỦ TỊCH",
        authority=authority or f"Chủ tịch UBND {province}",
    )


def product_code_of(state: JourneyState) -> str | None:
    """The product code (mã số sản phẩm), once the commune has given one."""
    return state.product_code or None


def producer_of(state: JourneyState) -> str:
    """The producer organisation (chủ thể) a product belongs to: its id in the producers'
    register, or (a journey registered before the register) the producing actor's id."""
    return state.producer_organisation or state.producer_id


def organisations_of(states: Iterable[JourneyState]) -> list[str]:
    """The organisations (chủ thể) the journeys themselves record, to look their names up: never a
    producing actor's id, which anyone may have entered as an organisation's id in the register."""
    return sorted({state.producer_organisation for state in states if state.producer_organisation})


def holder_of(names: Mapping[str, str], state: JourneyState) -> str:
    """What a document prints as the product's holder: the name of the organisation the journey
    records, else (a journey registered before the register) the producing actor's id as is."""
    if state.producer_organisation:
        return names.get(state.producer_organisation, state.producer_organisation)
    return state.producer_id


@dataclass(frozen=True)
class _Step:
    """A journey's state right before and right after one of its events."""

    event: RecordedEvent
    before: JourneyState | None
    after: JourneyState


async def _name_of(names: OrganisationNames, state: JourneyState) -> str:
    return holder_of(await names(organisations_of([state])), state)


async def _steps(store: EventStore, journey_id: str, to_version: int | None = None) -> list[_Step]:
    events = await store.read_stream(StreamRef(type="journey", id=journey_id), to_version=to_version)
    steps: list[_Step] = []
    state: JourneyState | None = None
    for event in events:
        after = evolve(state, parse_event(event.type, event.data), event.recorded_at)
        steps.append(_Step(event, state, after))
        state = after
    return steps


def _last_finalized(steps: Sequence[_Step]) -> _Step | None:
    finalized = CouncilFinalized.model_fields["type"].default
    return next((step for step in reversed(steps) if step.event.type == finalized), None)


def _recognized(step: _Step) -> Recognized:
    event = parse_event(step.event.type, step.event.data)
    assert isinstance(event, Recognized)
    return event


# -- the certificate ------------------------------------------------------------------------------


def _issues(steps: Sequence[_Step]) -> list[tuple[_Step, Certificate, str | None]]:
    """Every certificate the journey was given, oldest first, with the authority recorded as signing
    it: its recognitions, and a certificate imported with the product (chuyển đổi dữ liệu), signed
    for by the body of its level (the import was recorded by an administrator, not by the signer)."""
    found: list[tuple[_Step, Certificate, str | None]] = []
    for step in steps:
        if step.event.type == Recognized.model_fields["type"].default:
            found.append((step, _recognized(step).certificate, step.event.metadata.authority))
        elif step.event.type == CertifiedImported.model_fields["type"].default:
            assert step.after.certificate is not None  # the import records its certificate
            found.append((step, step.after.certificate, None))
    return found


def _pick(
    issues: Sequence[tuple[_Step, Certificate, str | None]], number: str | None
) -> tuple[_Step, Certificate, str | None]:
    """The certificate numbered ``number``, or the latest."""
    if not issues:
        raise NothingToPrint("the journey has no recognition: no decision and no certificate yet")
    if number is None:
        return issues[-1]
    for issue in issues:
        if issue[1].number == number:
            return issue
    raise NothingToPrint(f"the journey has no certificate numbered {number}")


async def certificate(
    store: EventStore,
    journey_id: str,
    names: OrganisationNames = no_names,
    base_url: str | None = None,
    number: str | None = None,
) -> Printed:
    """The certificate numbered ``number`` (by default the latest), as it was issued, and what
    ended it since, if anything did."""
    steps = await _steps(store, journey_id)
    step, certificate, authority = _pick(_issues(steps), number)
    state = step.after
    producer = await _name_of(names, state)
    ended = _ended(steps, step, certificate.number)
    document = CertificateDocument(
        certificate_number=certificate.number,
        product_name=state.product_name,
        product_code=product_code_of(state),
        producer=producer,
        stars=certificate.stars,
        decision_number=certificate.decision_number,
        decision_date=certificate.decision_date,
        valid_until=certificate.valid_until,
        issuer=issuer_of(certificate.level, state.province_code, state.district, authority),
        public_url=_public_url(journey_id, base_url),
        trace=_trace(step.event.stream, step.event),
        no_longer_in_force=ended[0] if ended else None,
    )
    hashes = [step.event.hash, producer, document.public_url] + ([ended[1]] if ended else [])
    return Printed(
        kind="certificate",
        subject=f"{journey_id}/{certificate.number}",
        sources=_sources("certificate", hashes),
        content=await lay_out(certificate_pdf, document),
        filename=_filename("giay-chung-nhan", certificate.number),
    )


def _ended(steps: Sequence[_Step], issued: _Step, number: str) -> tuple[str, str] | None:
    """What ended the certificate after it was issued (its revocation, or the end of its term), in
    the words it is stamped with, and that event's hash; None while it is in force. A certificate
    printed after that says so: it cannot pass for one in force (a new issue: other sources)."""
    for step in steps:
        if step.event.version <= issued.event.version or step.event.data.get("certificate_number") != number:
            continue
        day = pdf_short_date(local_date(step.event.recorded_at))
        if step.event.type == Revoked.model_fields["type"].default:
            return f"ĐÃ BỊ THU HỒI NGÀY {day} — GIẤY CHỨNG NHẬN KHÔNG CÒN HIỆU LỰC", step.event.hash
        if step.event.type == CertificateSuperseded.model_fields["type"].default:
            by = step.event.data["by_certificate_number"]
            return f"ĐÃ ĐƯỢC THAY THẾ BỞI GIẤY CHỨNG NHẬN SỐ {by} NGÀY {day}", step.event.hash
        if step.event.type == CertificateExpired.model_fields["type"].default:
            until = pdf_short_date(date.fromisoformat(step.event.data["valid_until"]))
            return f"ĐÃ HẾT HIỆU LỰC TỪ SAU NGÀY {until}", step.event.hash
    return None


# -- the recognition decision ---------------------------------------------------------------------


async def decision(
    store: EventStore, journey_id: str, names: OrganisationNames = no_names, number: str | None = None
) -> Printed:
    """The decision that recognized the certificate numbered ``number`` (by default the journey's
    latest recognition), with every product recognized under its number by the same authority (in
    the order they were recorded)."""
    steps = await _steps(store, journey_id)
    recognitions = [
        issue for issue in _issues(steps) if issue[0].event.type == Recognized.model_fields["type"].default
    ]
    own = _pick(recognitions, number)[0]
    own_event = _recognized(own)
    authority = own.event.metadata.authority
    refs = await IssuedDocuments(store.pool).recognitions_of_decision(own_event.decision_number, authority)
    found: list[tuple[_Step, Recognized]] = []
    for ref in refs:
        steps = await _steps(store, ref.journey_id, to_version=ref.version)
        step = steps[-1]
        event = _recognized(step)
        if event.decision_date == own_event.decision_date and event.level == own_event.level:
            found.append((step, event))
    producers = await names(organisations_of(step.after for step, _ in found))
    products = [
        ProductLine(
            product_name=step.after.product_name,
            product_code=product_code_of(step.after),
            producer=holder_of(producers, step.after),
            stars=event.stars,
            certificate_number=event.certificate.number,
        )
        for step, event in found
    ]
    state = own.after
    rulebook = get_rulebook(own_event.certificate.rulebook)
    document = DecisionDocument(
        decision_number=own_event.decision_number,
        decision_date=own_event.decision_date,
        issuer=issuer_of(own_event.level, state.province_code, state.district, authority),
        legal_basis=rulebook.legal_basis,
        validity_months=rulebook.certificate_validity_months,
        products=products,
        trace=f"In từ nhật ký OCOP · quyết định {own_event.decision_number} · {len(products)} sản phẩm",
    )
    hashes = [step.event.hash for step, _ in found] + [line.producer for line in products]
    return Printed(
        kind="decision",
        subject=f"{authority or '-'}/{own_event.decision_number}",
        sources=_sources("decision", hashes),
        content=await lay_out(decision_pdf, document),
        filename=_filename("quyet-dinh", own_event.decision_number),
    )


# -- a member's scoresheet ------------------------------------------------------------------------


async def scoresheet(
    store: EventStore, journey_id: str, member_id: str, names: OrganisationNames = no_names
) -> Printed:
    """The member's scorecard in the journey's latest finalized council result, as it stood when
    the chair finalized it (after every amendment)."""
    steps = await _steps(store, journey_id)
    finalized = _last_finalized(steps)
    if finalized is None or finalized.before is None or finalized.before.evaluation is None:
        raise NothingToPrint("no council result is finalized for this journey yet")
    before = finalized.before
    evaluation = before.evaluation
    assert evaluation is not None
    card: Scorecard | None = evaluation.scorecards.get(member_id)
    if card is None:
        raise NothingToPrint(f"{member_id} submitted no scorecard for this result")
    seat = evaluation.council.seat_of(member_id)
    scored = [
        step
        for step in steps
        if step.event.version < finalized.event.version
        and step.event.type in ("scorecard_submitted", "scorecard_amended")
        and step.event.data.get("member_id") == member_id
    ]
    last_card = scored[-1].event if scored else finalized.event
    sheet = journey_sheet(get_rulebook(before.rulebook), before.product_set)
    producer = await _name_of(names, before)
    document = ScoresheetDocument(
        sheet_title=sheet.name,
        council=evaluation.council.council_id,
        round_id=evaluation.round_id,
        product_name=before.product_name,
        product_code=product_code_of(before),
        producer=producer,
        member_id=member_id,
        member_name=None,  # personal data stays in the parties table; the sheet names the seat
        seat=_words(f"seat.{seat.role.value}") if seat else "",
        amendments=card.amendments,
        rows=scorecard_rows(sheet, card),
        trace=_trace(last_card.stream, last_card),
    )
    return Printed(
        kind="scoresheet",
        subject=f"{journey_id}/{evaluation.round_id}/{member_id}",
        sources=_sources("scoresheet", [last_card.hash, finalized.event.hash, producer]),
        content=await lay_out(scoresheet_pdf, document),
        filename=_filename("phieu-cham", f"{evaluation.round_id}-{member_id}"),
    )


# -- the round's minutes --------------------------------------------------------------------------


def _ranks(means: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranking by mean, highest first (equal means share a rank: 1, 2, 2, 4)."""
    known = sorted((mean for mean in means if mean is not None), reverse=True)
    return [None if mean is None else known.index(mean) + 1 for mean in means]


async def minutes(store: EventStore, round_id: str, names: OrganisationNames = no_names) -> Printed:
    """The round's minutes once its results are published: the council's seats with who took part
    (a member who submitted a scorecard for a product of the round counts as present, ocop.md §4),
    and each product's mean, stars, outcome and rank."""
    stream = StreamRef(type="round", id=round_id)
    events = await store.read_stream(stream)
    state: RoundState | None = None
    published: RecordedEvent | None = None
    for event in events:
        state = evolve_round(
            state, ROUND_EVENT.validate_python({**event.data, "type": event.type}), event.recorded_at
        )
        if event.type == ResultsPublished.model_fields["type"].default:
            published = event
            break
    if state is None or published is None or state.status != RoundStatus.RESULTS_PUBLISHED:
        raise NothingToPrint(f"round {round_id} has not published its results yet")
    hashes = [event.hash for event in events if event.version <= published.version]
    present: set[str] = set()
    journeys: dict[str, JourneyState] = {}
    for row in state.results:
        steps = await _steps(store, row.journey_id)
        for step in steps:
            if step.event.type != CouncilFinalized.model_fields["type"].default:
                continue
            if step.event.data.get("round_id") != round_id or step.before is None:
                continue
            if step.before.evaluation is not None:
                present |= set(step.before.evaluation.scorecards)
            journeys[row.journey_id] = step.before
            hashes.append(step.event.hash)
        if row.journey_id not in journeys:
            # Not finalized in this round (carried over, withdrawn): the journey as the round published it.
            known = [step.after for step in steps if step.event.position <= published.position]
            if known:
                journeys[row.journey_id] = known[-1]
    producers = await names(organisations_of(journeys.values()))
    ranks = _ranks([row.mean for row in state.results])
    lines: list[ResultLine] = []
    for row, rank in zip(state.results, ranks, strict=True):
        journey = journeys.get(row.journey_id)
        outcome = _words(f"outcome.{row.outcome.value}") if row.outcome else _next_step_words(row.next_step)
        lines.append(
            ResultLine(
                rank=rank,
                product_name=row.product_name,
                product_code=product_code_of(journey) if journey else None,
                producer=holder_of(producers, journey) if journey else "",
                mean=row.mean,
                stars=row.stars,
                outcome=outcome,
            )
        )
    results = sorted(lines, key=lambda line: (line.rank is None, line.rank or 0, line.product_name))
    council = state.council
    members = [
        MemberLine(
            member_id=seat.member_id,
            name=None,  # personal data stays in the parties table
            seat=_words(f"seat.{seat.role.value}"),
            present=seat.member_id in present,
        )
        for seat in council.seats
    ]
    document = MinutesDocument(
        round_name=state.name,
        round_id=round_id,
        council_name=council.name,
        council_id=council.council_id,
        meeting_date=state.meeting_date,
        published_on=local_date(published.recorded_at),
        members=members,
        results=results,
        trace=_trace(stream, published),
    )
    holders = {producer_of(journey): holder_of(producers, journey) for journey in journeys.values()}
    hashes += [holders[producer] for producer in sorted(holders)]
    return Printed(
        kind="minutes",
        subject=round_id,
        sources=_sources("minutes", hashes),
        content=await lay_out(minutes_pdf, document),
        filename=_filename("bien-ban", round_id),
    )


def _next_step_words(code: str) -> str:
    """The Vietnamese words of a round's next step without a result (carried over, withdrawn,
    pending), or the code where there are none."""
    head, _, rest = code.partition(":")
    entry = _messages().get(f"next.{head}")
    return entry[0].format(round=rest) if entry else code


async def scorers(store: EventStore, journey_id: str) -> list[tuple[str, str]]:
    """The members whose scoresheets the journey's latest finalized result holds, in seat order,
    each with the Vietnamese name of their seat."""
    steps = await _steps(store, journey_id)
    finalized = _last_finalized(steps)
    if finalized is None or finalized.before is None or finalized.before.evaluation is None:
        return []
    evaluation = finalized.before.evaluation
    return [
        (seat.member_id, _words(f"seat.{seat.role.value}"))
        for seat in evaluation.council.seats
        if seat.member_id in evaluation.scorecards
    ]

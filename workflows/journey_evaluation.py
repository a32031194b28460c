"""A product journey's evaluation (pure core, workflows/lifecycle.py): enrolment in a round and
carrying over, the members' scorecards and conflicts, written opinion and the site check, the council's
result and where it goes (``route``), the authority's recognition or approval — each step's decide,
then what its events change."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, assert_never

from schemas.commands import (
    AmendScorecard,
    ApproveResult,
    CarryOver,
    Command,
    DecideSiteCheck,
    EnrolInRound,
    EvaluateAgain,
    FinalizeResult,
    Recognize,
    RecordConflict,
    RequestMeeting,
    SubmitScorecard,
)
from schemas.errors import (
    AdvisoryReviewPending,
    AfterCutOff,
    AlreadyScored,
    ConflictOfInterest,
    InvalidCommand,
    NoScorecard,
    NotAllowed,
    NotAVotingMember,
    SecretaryCannotScore,
    WrongLevel,
    WrongState,
)
from schemas.events import (
    CarriedOver,
    CentralResultBelowThreshold,
    Certificate,
    CertificateSuperseded,
    ConflictRecorded,
    CouncilFinalized,
    Deadline,
    EnrolledInRound,
    EvaluationMode,
    JourneyEvent,
    MeetingRequested,
    Outcome,
    Recognized,
    ResultApproved,
    ResultNoticeIssued,
    ScorecardAmended,
    ScorecardSubmitted,
    SentBackForEvaluation,
    SiteCheckDecided,
    Variant,
)
from schemas.journey import (
    CouncilResult,
    Evaluation,
    JourneyState,
    OpenDeadline,
    PendingRecognition,
    Scorecard,
    Status,
)
from schemas.procedure import AdvisoryStep
from schemas.refusals import Reason
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import (
    Level,
    Rulebook,
)
from workflows.calendar import (
    certificate_valid_until,
    due_date,
    local_date,
)
from workflows.journey_core import (
    _close_application,
    _decides,
    _evaluation,
    _expect_role,
    _expect_status,
    _recognition_record,
    _without,
)
from workflows.scoring import check_finalizable, council_mean, dispersion, dispersion_limit
from workflows.sheets import (
    council_sheet_result,
    journey_sheet,
    score_card,
)


@_decides(EnrolInRound)
def _enrol(
    state: JourneyState, command: EnrolInRound, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_status(state, Status.AWAITING_ROUND)
    assert state.level is not None
    if command.level != state.level or command.council.level != state.level:
        raise WrongLevel(
            Reason("journey.round_level", level=state.level, council_level=command.council.level)
        )
    _expect_role(command, OFFICER_OF_LEVEL[state.level])
    jurisdiction = {
        Level.PROVINCE: str(state.province_code),
        Level.DISTRICT: state.district,
        Level.COMMUNE: str(state.commune_code),
    }.get(state.level)
    if state.level == Level.DISTRICT and state.district is None:
        raise NotAllowed(Reason("journey.no_district"))
    if jurisdiction is not None and command.council.jurisdiction != jurisdiction:
        raise NotAllowed(
            Reason(
                "journey.council_elsewhere",
                council=command.council.council_id,
                sits=command.council.jurisdiction,
                level=state.level,
                jurisdiction=jurisdiction,
            )
        )
    if command.cut_off is not None and (state.accepted_on is None or state.accepted_on > command.cut_off):
        if state.accepted_on is None:
            raise AfterCutOff(Reason("journey.cut_off_unrecorded", cut_off=command.cut_off))
        raise AfterCutOff(
            Reason("journey.after_cut_off", accepted=state.accepted_on, cut_off=command.cut_off)
        )
    return [EnrolledInRound(round_id=command.round_id, level=state.level, council=command.council)]


@_decides(CarryOver)
def _carry_over(
    state: JourneyState, command: CarryOver, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    evaluation = _evaluation(state)
    _expect_role(command, OFFICER_OF_LEVEL[evaluation.level])
    if command.from_round != evaluation.round_id:
        raise WrongState(
            Reason("journey.other_round", round=evaluation.round_id, from_round=command.from_round)
        )
    if (
        command.council.council_id != evaluation.council.council_id
        or command.council.level != evaluation.level
    ):
        raise InvalidCommand(Reason("journey.carry_same_council"))
    if command.to_round == command.from_round:
        raise InvalidCommand(Reason("journey.carry_other_round"))
    return [CarriedOver(from_round=command.from_round, to_round=command.to_round, council=command.council)]


def _check_scorer(evaluation: Evaluation, command: Command) -> None:
    _expect_role(command, Role.COUNCIL_MEMBER)
    seat = evaluation.council.seat_of(command.actor.id)
    if seat is None:
        raise NotAVotingMember(
            Reason("journey.not_seated", member=command.actor.id, council=evaluation.council.council_id)
        )
    if seat.member_id not in evaluation.council.voting_member_ids:
        raise SecretaryCannotScore(Reason("journey.secretary"))
    if seat.member_id in evaluation.council.conflicts:
        raise ConflictOfInterest(Reason("journey.conflict", member=command.actor.id))


@_decides(SubmitScorecard)
def _submit_scorecard(
    state: JourneyState, command: SubmitScorecard, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    evaluation = _evaluation(state)
    _check_scorer(evaluation, command)
    if command.actor.id in evaluation.scorecards:
        raise AlreadyScored(Reason("journey.scored_already"))
    awaited = advisory_awaited(state, rulebook)
    if awaited:
        raise AdvisoryReviewPending(
            Reason("journey.advisory_before_council", level=evaluation.level, missing=awaited)
        )
    card = score_card(journey_sheet(rulebook, state.product_set), command.parts, command.choices, rulebook)
    return [ScorecardSubmitted(round_id=evaluation.round_id, member_id=command.actor.id, **card.facts())]


def advisory_awaited(state: JourneyState, rulebook: Rulebook) -> list[AdvisoryStep]:
    """The advisory team's steps the council still waits for before its first scorecard (qd26-2026
    Art. 7.3.c before 7.3.d, 7.4.c before 7.4.d: Tổ tư vấn đánh giá hồ sơ), not yet recorded on
    the dossier at the council's level, for the dossiers the rulebook names (a re-evaluation's report
    is the agency's, Art. 7.6.c); none once a member has scored, or under a rulebook without an
    advisory team."""
    evaluation = state.evaluation
    check = rulebook.dossier_check
    if evaluation is None or evaluation.scorecards or check is None:
        return []
    if evaluation.level not in check.advisory_at or state.variant not in check.before_council_variants:
        return []
    recorded = {record.step for record in state.advisory if record.level == evaluation.level}
    return [step for step in check.before_council if step not in recorded]


@_decides(AmendScorecard)
def _amend_scorecard(
    state: JourneyState, command: AmendScorecard, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    evaluation = _evaluation(state)
    _check_scorer(evaluation, command)
    previous = evaluation.scorecards.get(command.actor.id)
    if previous is None:
        raise NoScorecard(Reason("journey.no_scorecard"))
    card = score_card(journey_sheet(rulebook, state.product_set), command.parts, command.choices, rulebook)
    return [
        ScorecardAmended(
            round_id=evaluation.round_id,
            member_id=command.actor.id,
            previous_total=previous.total,
            **card.facts(),
        )
    ]


@_decides(RecordConflict)
def _record_conflict(
    state: JourneyState, command: RecordConflict, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    evaluation = _evaluation(state)
    if command.actor.id != command.member_id:
        _expect_role(command, OFFICER_OF_LEVEL[evaluation.level])
    else:
        _expect_role(command, Role.COUNCIL_MEMBER)
    if evaluation.council.seat_of(command.member_id) is None:
        raise NotAVotingMember(
            Reason("journey.not_seated", member=command.member_id, council=evaluation.council.council_id)
        )
    if command.member_id in evaluation.council.conflicts:
        raise WrongState(Reason("journey.conflict_already", member=command.member_id))
    card = evaluation.scorecards.get(command.member_id)
    return [ConflictRecorded(member_id=command.member_id, voided_total=card.total if card else None)]


def route(
    rulebook: Rulebook, level: Level, mean: Any, stars: int, mandatory_failed: bool
) -> tuple[Outcome, int | None, Level | None]:
    """Where a finalized result goes (ocop.md §2): outcome, stars to recognize, next level."""
    rules = rulebook.level_rules(level)
    if mandatory_failed or stars not in rulebook.recognizable_stars:
        return Outcome.NOT_RANKED, None, None
    if stars in rules.certifies:
        return Outcome.RECOGNIZE, stars, None
    # ``stars`` is the awarded rank: the band for now; with the criterion sheets, the highest rank
    # whose band holds the mean and whose minimums hold (ocop.md §7) — a mean of 90 or more whose 5★
    # minimums fail is then a 4★ this level certifies, above.
    if rules.forward_at is not None and mean >= rules.forward_at:
        next_level = rulebook.next_level(level)
        if rules.certify_while_forwarding:
            return Outcome.RECOGNIZE_THEN_FORWARD, max(rules.certifies), next_level
        if rules.approve_before_forwarding:
            return Outcome.APPROVE_THEN_FORWARD, None, next_level
        return Outcome.FORWARD, None, next_level
    target = rules.unrecognized_returns_to
    if target is not None and stars in rulebook.level_rules(target).certifies:
        # qd26-2026: the central council below 90 — the provincial authority's choice.
        return Outcome.RETURNED_FOR_DECISION, stars, target
    # A level that can neither certify nor forward this result: the central council below 90.
    return Outcome.NOT_RANKED, None, None


def by_written_opinion(state: JourneyState, rulebook: Rulebook) -> bool:
    """A re-evaluation under a rulebook whose council evaluates it by written opinion (Art. 7.6.d)."""
    rules = rulebook.re_evaluation
    return state.variant == Variant.RE_EVALUATION and rules is not None and rules.written_opinion


def _evaluation_mode(
    state: JourneyState,
    evaluation: Evaluation,
    command: FinalizeResult,
    totals: dict[str, Decimal],
    rulebook: Rulebook,
    now: datetime,
) -> tuple[EvaluationMode | None, list[str]]:
    """Written opinion (qd26-2026 Art. 7.6.d): the council meets in person only where the members'
    totals spread past its limit or a member asked; then the chair finalizes with the meeting's day.
    Returns the mode and why it met; (None, []) outside a re-evaluation by written opinion."""
    if not by_written_opinion(state, rulebook):
        return None, []
    spread, limit = dispersion(list(totals.values())), dispersion_limit(evaluation.council, rulebook)
    requested = ["requested"] if evaluation.meeting_requested_by else []
    if command.met_on is None:
        if spread > limit:
            raise WrongState(Reason("journey.opinions_spread", spread=spread, limit=limit))
        if requested:
            raise WrongState(Reason("journey.meeting_asked"))
        return EvaluationMode.WRITTEN_OPINION, []
    if command.met_on > local_date(now):
        raise InvalidCommand(Reason("journey.meeting_future"))
    # At the meeting the members' totals must come within the limit, as at every council.
    return EvaluationMode.MEETING, requested


@_decides(RequestMeeting)
def _request_meeting(
    state: JourneyState, command: RequestMeeting, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    evaluation = _evaluation(state)
    _check_scorer(evaluation, command)
    if not by_written_opinion(state, rulebook):
        raise WrongState(Reason("journey.not_written_opinion"))
    if command.actor.id in evaluation.meeting_requested_by:
        raise WrongState(Reason("journey.meeting_asked_already", member=command.actor.id))
    return [MeetingRequested(member_id=command.actor.id)]


@_decides(DecideSiteCheck)
def _decide_site_check(
    state: JourneyState, command: DecideSiteCheck, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    """The site check of a re-evaluation (Art. 7.6.c): a recorded choice of the level's agency, once
    per level, before its council finalizes."""
    _expect_status(state, Status.AWAITING_ROUND, Status.IN_EVALUATION)
    assert state.level is not None
    _expect_role(command, OFFICER_OF_LEVEL[state.level])
    rules = rulebook.re_evaluation
    if state.variant != Variant.RE_EVALUATION or rules is None or not rules.site_check_grounds:
        raise WrongState(Reason("journey.site_check_rules", rulebook=rulebook.id))
    if state.level in state.site_checks:
        raise WrongState(Reason("journey.site_check_made", level=state.level))
    unknown = [ground.value for ground in command.survey_grounds if ground not in rules.site_check_grounds]
    if unknown:
        raise InvalidCommand(Reason("journey.survey_grounds_unknown", rulebook=rulebook.id, grounds=unknown))
    if command.survey and not command.survey_grounds:
        raise InvalidCommand(Reason("journey.survey_needs_ground"))
    if not command.survey and command.survey_grounds:
        raise InvalidCommand(Reason("journey.grounds_without_survey"))
    grounds = list(dict.fromkeys(command.survey_grounds))
    return [SiteCheckDecided(level=state.level, survey=command.survey, grounds=grounds)]


@_decides(FinalizeResult)
def _finalize(
    state: JourneyState, command: FinalizeResult, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    evaluation = _evaluation(state)
    _expect_role(command, Role.COUNCIL_MEMBER)
    if command.actor.id != evaluation.council.chair_id:
        raise NotAllowed(Reason("journey.chair_finalizes"))
    totals = {member: card.total for member, card in evaluation.scorecards.items()}
    mode, grounds = _evaluation_mode(state, evaluation, command, totals, rulebook, now)
    check_finalizable(evaluation.council, totals, rulebook)
    mean = council_mean(list(totals.values()))
    stars = rulebook.stars_for(mean)
    # Scored by option: the awarded rank is the highest the band allows whose star minimums hold on
    # the council (ocop.md §7); a flat sheet has no minimums and its band is its rank, as always.
    sheet_result = council_sheet_result(
        journey_sheet(rulebook, state.product_set),
        list(evaluation.scorecards.values()),
        rulebook,
        evaluation.council.minimum_judgement,
    )
    if sheet_result is not None:
        assert sheet_result.mean == mean
        stars = sheet_result.stars
    outcome, recognize_stars, next_level = route(
        rulebook, evaluation.level, mean, stars, bool(command.failed_mandatory_criteria)
    )
    if outcome == Outcome.NOT_RANKED and state.certificate is not None and state.status != Status.REVOKED:
        # An application of a certified product that recognizes nothing new: the product goes back
        # to its certificate (CERTIFIED), or to EXPIRED if its term ended meanwhile.
        outcome = Outcome.KEEP_CERTIFICATE
    # The authority's decision (a recognition, or the approval of a potential 5★) is due then.
    decision_awaited = recognize_stars is not None or outcome == Outcome.APPROVE_THEN_FORWARD
    recognition_due = due_date(local_date(now), rulebook.deadlines.recognition) if decision_awaited else None
    events: list[JourneyEvent] = [
        CouncilFinalized(
            round_id=evaluation.round_id,
            level=evaluation.level,
            council_id=evaluation.council.council_id,
            scorecards=len(totals),
            mean=mean,
            stars=stars,
            failed_mandatory_criteria=command.failed_mandatory_criteria,
            outcome=outcome,
            recognize_stars=recognize_stars,
            next_level=next_level,
            recognition_due=recognition_due,
            band_stars=sheet_result.band_stars if sheet_result else None,
            judged_by=sheet_result.judged_by if sheet_result else None,
            held_back=list(sheet_result.held_back) if sheet_result else None,
            evaluation_mode=mode,
            met_on=command.met_on if mode == EvaluationMode.MEETING else None,
            meeting_grounds=grounds or None,
        )
    ]
    check = rulebook.dossier_check
    if check is not None and check.notice_to and outcome == Outcome.NOT_RANKED:
        # qd26-2026 Art. 3, 7.3.g: no decision (1★, 2★, or a mandatory criterion failed): the
        # producer and the commune are notified in writing. (An upgrade or re-evaluation that
        # recognizes nothing new keeps its certificate: KEEP_CERTIFICATE, no notice here.)
        events.append(
            ResultNoticeIssued(
                level=evaluation.level,
                mean=mean,
                stars=stars,
                notified=list(check.notice_to),
                commune_code=state.commune_code,
            )
        )
    if evaluation.level == rulebook.levels[-1].level and outcome in (
        Outcome.NOT_RANKED,
        Outcome.KEEP_CERTIFICATE,
    ):
        certificate = state.certificate_in_force
        events.append(
            CentralResultBelowThreshold(
                mean=mean, stars=stars, certificate_number=certificate.number if certificate else None
            )
        )
    return events


@_decides(Recognize)
def _recognize(
    state: JourneyState, command: Recognize, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_status(state, Status.AWAITING_RECOGNITION)
    pending = state.pending_recognition
    assert pending is not None
    if command.level is not None and command.level != pending.level:
        raise WrongLevel(Reason("journey.recognition_level", level=pending.level))
    _expect_role(command, Role.RECOGNITION_AUTHORITY)
    if command.decision_date > local_date(now):
        raise InvalidCommand(Reason("journey.recognition_future"))
    if state.results and command.decision_date < local_date(state.results[-1].finalized_at):
        raise InvalidCommand(Reason("journey.recognition_early"))
    number = command.certificate_number or f"{command.decision_number}/{state.journey_id}"
    certificate = Certificate(
        number=number,
        stars=pending.stars,
        level=pending.level,
        decision_number=command.decision_number,
        decision_date=command.decision_date,
        valid_until=certificate_valid_until(command.decision_date, rulebook.certificate_validity_months),
        rulebook=rulebook.id,
    )
    events: list[JourneyEvent] = []
    if state.certificate is not None and not state.certificate_expired:
        events.append(
            CertificateSuperseded(certificate_number=state.certificate.number, by_certificate_number=number)
        )
    events.append(
        Recognized(
            level=pending.level,
            stars=pending.stars,
            decision_number=command.decision_number,
            decision_date=command.decision_date,
            certificate=certificate,
            forward_to=pending.forward_to,
        )
    )
    return events


def _check_decision_date(state: JourneyState, decision_date: date, now: datetime) -> None:
    if decision_date > local_date(now):
        raise InvalidCommand(Reason("journey.decision_future"))
    if state.results and decision_date < local_date(state.results[-1].finalized_at):
        raise InvalidCommand(Reason("journey.decision_early"))


@_decides(ApproveResult)
def _approve_result(
    state: JourneyState, command: ApproveResult, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_status(state, Status.AWAITING_APPROVAL)
    pending = state.pending_approval
    assert pending is not None  # evolve sets it, with its next level, with the status
    assert pending.forward_to is not None
    _expect_role(command, Role.RECOGNITION_AUTHORITY)
    _check_decision_date(state, command.decision_date, now)
    return [
        ResultApproved(
            level=pending.level,
            mean=state.results[-1].mean,
            stars=pending.stars,
            decision_number=command.decision_number,
            decision_date=command.decision_date,
            forward_to=pending.forward_to,
        )
    ]


@_decides(EvaluateAgain)
def _evaluate_again(
    state: JourneyState, command: EvaluateAgain, rulebook: Rulebook, now: datetime
) -> list[JourneyEvent]:
    _expect_status(state, Status.AWAITING_RECOGNITION)
    pending = state.pending_recognition
    assert pending is not None
    if pending.evaluate_again_at is None:
        raise WrongState(Reason("journey.nothing_to_order"))
    _expect_role(command, Role.RECOGNITION_AUTHORITY)
    return [SentBackForEvaluation(level=pending.evaluate_again_at, decision_number=command.decision_number)]


EvaluationEvent = (
    EnrolledInRound
    | CarriedOver
    | ConflictRecorded
    | ScorecardSubmitted
    | ScorecardAmended
    | CouncilFinalized
    | CentralResultBelowThreshold
    | ResultNoticeIssued
    | CertificateSuperseded
    | Recognized
    | ResultApproved
    | SentBackForEvaluation
    | MeetingRequested
    | SiteCheckDecided
)


def changes(state: JourneyState, event: EvaluationEvent, at: datetime) -> dict[str, Any]:
    """What an event of the evaluation changes in the journey's state (``evolve``)."""
    match event:
        case EnrolledInRound():
            return {
                "status": Status.IN_EVALUATION,
                "round_id": event.round_id,
                "evaluation": Evaluation(round_id=event.round_id, level=event.level, council=event.council),
            }
        case CarriedOver():
            assert state.evaluation is not None
            # Scorecards of members who still sit, and may score this product, carry over.
            kept = {
                member: card
                for member, card in state.evaluation.scorecards.items()
                if member in event.council.voting_member_ids and member not in event.council.conflicts
            }
            evaluation = Evaluation(
                round_id=event.to_round, level=state.evaluation.level, council=event.council, scorecards=kept
            )
            return {"round_id": event.to_round, "evaluation": evaluation}
        case ConflictRecorded():
            assert state.evaluation is not None
            council = state.evaluation.council
            council = council.model_copy(update={"conflicts": [*council.conflicts, event.member_id]})
            scorecards = {m: c for m, c in state.evaluation.scorecards.items() if m != event.member_id}
            return {
                "evaluation": state.evaluation.model_copy(
                    update={"council": council, "scorecards": scorecards}
                )
            }
        case ScorecardSubmitted() | ScorecardAmended():
            assert state.evaluation is not None
            previous = state.evaluation.scorecards.get(event.member_id)
            card = Scorecard(
                member_id=event.member_id,
                parts=event.parts,
                total=event.total,
                amendments=(previous.amendments + 1) if previous else 0,
                sheet=event.sheet,
                choices=event.choices,
                points=event.points,
                not_applicable=event.not_applicable,
            )
            scorecards = {**state.evaluation.scorecards, event.member_id: card}
            return {"evaluation": state.evaluation.model_copy(update={"scorecards": scorecards})}
        case CouncilFinalized():
            result = CouncilResult(
                round_id=event.round_id,
                level=event.level,
                council_id=event.council_id,
                mean=event.mean,
                stars=event.stars,
                outcome=event.outcome,
                finalized_at=at,
                band_stars=event.band_stars,
                judged_by=event.judged_by,
                held_back=event.held_back,
            )
            base: dict[str, Any] = {"results": [*state.results, result], "evaluation": None}
            if event.outcome == Outcome.NOT_RANKED:
                return {**base, "status": Status.NOT_RANKED, "deadlines": {}}
            if event.outcome == Outcome.KEEP_CERTIFICATE:
                return {**base, **_close_application(state)}
            if event.outcome == Outcome.FORWARD:
                return {**base, "status": Status.AWAITING_ROUND, "level": event.next_level, "round_id": None}
            assert event.recognition_due is not None
            deadlines = dict(state.deadlines)
            deadlines[Deadline.RECOGNITION] = OpenDeadline(
                due=event.recognition_due, due_from=Role.RECOGNITION_AUTHORITY.value
            )
            if event.outcome == Outcome.APPROVE_THEN_FORWARD:
                approval = PendingRecognition(
                    level=event.level, stars=event.stars, forward_to=event.next_level
                )
                return {
                    **base,
                    "status": Status.AWAITING_APPROVAL,
                    "pending_approval": approval,
                    "deadlines": deadlines,
                }
            assert event.recognize_stars is not None
            if event.outcome == Outcome.RETURNED_FOR_DECISION:
                # The rank is recognized at ``next_level`` on this result, or evaluated there again.
                assert event.next_level is not None
                pending = PendingRecognition(
                    level=event.next_level, stars=event.recognize_stars, evaluate_again_at=event.next_level
                )
                return {
                    **base,
                    "status": Status.AWAITING_RECOGNITION,
                    "level": event.next_level,
                    "pending_recognition": pending,
                    "deadlines": deadlines,
                }
            pending = PendingRecognition(
                level=event.level,
                stars=event.recognize_stars,
                forward_to=event.next_level if event.outcome == Outcome.RECOGNIZE_THEN_FORWARD else None,
            )
            return {
                **base,
                "status": Status.AWAITING_RECOGNITION,
                "pending_recognition": pending,
                "deadlines": deadlines,
            }
        case CentralResultBelowThreshold() | ResultNoticeIssued():
            return {}
        case CertificateSuperseded():
            assert state.certificate is not None
            return {"past_certificates": [*state.past_certificates, state.certificate]}
        case Recognized():
            forwarded = event.forward_to is not None
            # Each recognition answers the application in progress: a new product's (its provincial
            # 4★ and then its central 5★ alike), an upgrade's or a re-evaluation's.
            return {
                "recognitions": [*state.recognitions, _recognition_record(event.certificate, state.variant)],
                "status": Status.AWAITING_ROUND if forwarded else Status.CERTIFIED,
                "level": event.forward_to,
                "round_id": None,
                "pending_recognition": None,
                "certificate": event.certificate,
                "certificate_expired": False,
                "expiry_notice_sent": False,
                "re_evaluation_window": None,
                "certificate_extended_until": None,
                # The self-assessment was this application's; the next one brings its own.
                "self_assessment": state.self_assessment if forwarded else None,
                # A recognition that closes the application also ends its passage deadline.
                "deadlines": _without(state.deadlines, Deadline.RECOGNITION)
                if forwarded
                else _without(
                    state.deadlines,
                    Deadline.RECOGNITION,
                    Deadline.PASSAGE_COMPLETION,
                    Deadline.RE_EVALUATION_COMPLETION,
                ),
            }
        case ResultApproved():
            return {
                "status": Status.AWAITING_ROUND,
                "level": event.forward_to,
                "round_id": None,
                "pending_approval": None,
                "deadlines": _without(state.deadlines, Deadline.RECOGNITION),
            }
        case SentBackForEvaluation():
            return {
                "status": Status.AWAITING_ROUND,
                "level": event.level,
                "round_id": None,
                "pending_recognition": None,
                "deadlines": _without(state.deadlines, Deadline.RECOGNITION),
            }
        case MeetingRequested():
            assert state.evaluation is not None
            requested = [*state.evaluation.meeting_requested_by, event.member_id]
            return {"evaluation": state.evaluation.model_copy(update={"meeting_requested_by": requested})}
        case SiteCheckDecided():
            return {"site_checks": {**state.site_checks, event.level: event.survey}}
    # Every event of this stage has its case above: mypy reports here the one a new event forgot.
    assert_never(event)

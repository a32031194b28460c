"""Councils (ocop.md §3–§4), pure: appointment, membership changes and declared conflicts, and what
a council's roster and overrides mean for quorum and dispersion when a product is finalized."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from schemas.council import (
    AppointCouncil,
    ChangeMembership,
    ConflictDeclared,
    Council,
    CouncilAppointed,
    CouncilCommand,
    DeclareConflict,
    MembershipChanged,
    Seat,
    SeatRole,
)
from schemas.errors import DispersionTooWide, InvalidCommand, NotAllowed, QuorumNotMet, WrongState
from schemas.log import Actor
from schemas.rulebook import Level, Quorum
from schemas.rulebooks import get_rulebook
from tests.factories import (
    CENTRAL_OFFICER,
    DISTRICT_NAME,
    DISTRICT_OFFICER,
    PROVINCIAL_OFFICER,
    THANH_HOA,
    council,
    member,
)
from tests.recognitions import ADMINISTRATOR
from workflows.council_rules import decide_council, evolve_council
from workflows.scoring import check_finalizable, quorum_required

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
RULEBOOK = get_rulebook("qd148-1489-2025")
SEATS = council().seats  # HD-TH-2025: m1 chair, m2 vice-chair, m3..m8 members, m9 secretary


def appoint(
    seats: list[Seat] = SEATS,
    level: Level = Level.PROVINCE,
    jurisdiction: str = str(THANH_HOA),
    actor: Actor = PROVINCIAL_OFFICER,
    **overrides: object,
) -> AppointCouncil:
    return AppointCouncil.model_validate(
        {
            "actor": actor,
            "council_id": "HD-TH-2025",
            "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
            "level": level,
            "jurisdiction": jurisdiction,
            "seats": seats,
            **overrides,
        }
    )


def run(state: Council | None, command: CouncilCommand) -> Council:
    for event in decide_council(state, command, NOW):
        state = evolve_council(state, event, NOW)
    assert state is not None
    return state


def appointed(**overrides: object) -> Council:
    return run(None, appoint(**overrides))  # type: ignore[arg-type]


# -- appointment -------------------------------------------------------------------------------


def test_a_provincial_council_is_appointed_with_roles_and_overrides() -> None:
    quorum = Quorum(numerator=3, denominator=4)
    [event] = decide_council(None, appoint(quorum=quorum, dispersion_limit=Decimal(8)), NOW)
    assert isinstance(event, CouncilAppointed)
    state = evolve_council(None, event, NOW)
    assert (state.level, state.jurisdiction, state.version) == (Level.PROVINCE, "38", 1)
    assert (state.quorum, state.dispersion_limit) == (quorum, Decimal(8))
    assert [seat.role for seat in state.seats] == [
        SeatRole.CHAIR, SeatRole.VICE_CHAIR, *[SeatRole.MEMBER] * 6, SeatRole.SECRETARY,
    ]  # fmt: skip
    roster = state.roster_for("J-1")
    assert roster.chair_id == "HD-TH-2025-m1"
    assert roster.voting_member_ids == [
        f"HD-TH-2025-m{i}" for i in range(1, 9)
    ]  # the secretary does not vote


def test_each_level_is_appointed_by_its_own_officer_or_an_administrator() -> None:
    assert appointed(actor=ADMINISTRATOR).council_id == "HD-TH-2025"
    with pytest.raises(NotAllowed):
        decide_council(None, appoint(actor=DISTRICT_OFFICER), NOW)
    district = appoint(level=Level.DISTRICT, jurisdiction=DISTRICT_NAME, actor=DISTRICT_OFFICER)
    assert decide_council(None, district, NOW)  # under the older rulebooks: the district as given
    central = appoint(level=Level.CENTRAL, jurisdiction="VN", actor=CENTRAL_OFFICER)
    assert decide_council(None, central, NOW)
    with pytest.raises(NotAllowed):
        decide_council(None, appoint(level=Level.CENTRAL, jurisdiction="VN"), NOW)


def test_the_jurisdiction_fits_the_level_a_province_code_or_the_nation() -> None:
    for level, jurisdiction, actor in (
        (Level.PROVINCE, "Thanh Hóa", PROVINCIAL_OFFICER),  # a name, not the province code
        (Level.PROVINCE, "99", PROVINCIAL_OFFICER),  # no such province in 2025
        (Level.PROVINCE, "038", PROVINCIAL_OFFICER),  # journeys compare with "38"
        (Level.CENTRAL, "38", CENTRAL_OFFICER),  # the central council is national
    ):
        with pytest.raises(InvalidCommand):
            decide_council(None, appoint(level=level, jurisdiction=jurisdiction, actor=actor), NOW)


def test_a_council_has_exactly_one_chair_and_one_seat_a_member() -> None:
    no_chair = [Seat(member_id="a", role=SeatRole.MEMBER), Seat(member_id="b", role=SeatRole.SECRETARY)]
    two_chairs = [Seat(member_id="a", role=SeatRole.CHAIR), Seat(member_id="b", role=SeatRole.CHAIR)]
    twice = [Seat(member_id="a", role=SeatRole.CHAIR), Seat(member_id="a", role=SeatRole.MEMBER)]
    for seats in (no_chair, two_chairs, twice):
        with pytest.raises(InvalidCommand):
            decide_council(None, appoint(seats=seats), NOW)


def test_a_council_is_appointed_once() -> None:
    with pytest.raises(WrongState):
        decide_council(appointed(), appoint(), NOW)
    with pytest.raises(ValueError, match="appointed once"):
        evolve_council(
            appointed(), CouncilAppointed(**appoint().model_dump(exclude={"actor", "reason"})), NOW
        )


# -- membership --------------------------------------------------------------------------------


def test_a_membership_change_is_an_event_naming_who_came_and_who_left() -> None:
    state = appointed()
    seats = [seat for seat in SEATS if seat.member_id != "HD-TH-2025-m8"]
    seats.append(Seat(member_id="HD-TH-2025-m10", role=SeatRole.MEMBER))
    [event] = decide_council(state, ChangeMembership(actor=PROVINCIAL_OFFICER, seats=seats), NOW)
    assert event == MembershipChanged(seats=seats, added=["HD-TH-2025-m10"], removed=["HD-TH-2025-m8"])
    changed = evolve_council(state, event, NOW)
    assert (changed.seats, changed.version) == (seats, 2)
    assert state.seats == SEATS  # the earlier state (as a round snapshot holds it) is untouched


def test_the_provision_for_extra_rounds_is_set_at_appointment_or_amended_with_the_membership() -> None:
    # qd26-2026 Art. 5: extra rounds only where the decision issuing the council's regulation provides
    # for them. A council appointed before the setting shipped has none; a kiện toàn decision amends it.
    assert appointed().extra_rounds_allowed is False
    assert appointed(extra_rounds_allowed=True).extra_rounds_allowed is True
    state = appointed()
    [kept] = decide_council(state, ChangeMembership(actor=PROVINCIAL_OFFICER, seats=SEATS), NOW)
    assert "extra_rounds_allowed" not in kept.model_dump(mode="json")  # no change, nothing recorded
    same = ChangeMembership(actor=PROVINCIAL_OFFICER, seats=SEATS, extra_rounds_allowed=False)
    assert "extra_rounds_allowed" not in decide_council(state, same, NOW)[0].model_dump(mode="json")
    amended = run(state, ChangeMembership(actor=PROVINCIAL_OFFICER, seats=SEATS, extra_rounds_allowed=True))
    assert amended.extra_rounds_allowed is True
    assert run(amended, ChangeMembership(actor=PROVINCIAL_OFFICER, seats=SEATS)).extra_rounds_allowed is True
    revoked = ChangeMembership(actor=PROVINCIAL_OFFICER, seats=SEATS, extra_rounds_allowed=False)
    assert run(amended, revoked).extra_rounds_allowed is False


def test_membership_changes_need_the_officer_an_appointed_council_and_a_chair() -> None:
    with pytest.raises(WrongState):
        decide_council(None, ChangeMembership(actor=PROVINCIAL_OFFICER, seats=SEATS), NOW)
    with pytest.raises(NotAllowed):
        decide_council(appointed(), ChangeMembership(actor=member("HD-TH-2025", 1), seats=SEATS), NOW)
    chairless = [seat for seat in SEATS if seat.role != SeatRole.CHAIR]
    with pytest.raises(InvalidCommand):
        decide_council(appointed(), ChangeMembership(actor=PROVINCIAL_OFFICER, seats=chairless), NOW)


# -- conflicts of interest ---------------------------------------------------------------------


def test_a_member_declares_a_conflict_and_the_roster_of_that_product_names_it() -> None:
    m4 = member("HD-TH-2025", 4)
    state = run(appointed(), DeclareConflict(actor=m4, member_id=m4.id, journey_id="J-06"))
    assert state.version == 2
    assert state.roster_for("J-06").conflicts == [m4.id]
    assert state.roster_for("J-01").conflicts == []  # only that product
    # Declared again: nothing new is recorded.
    assert decide_council(state, DeclareConflict(actor=m4, member_id=m4.id, journey_id="J-06"), NOW) == []
    # The officer may record it for the member.
    [event] = decide_council(
        state, DeclareConflict(actor=PROVINCIAL_OFFICER, member_id="HD-TH-2025-m5", journey_id="J-06"), NOW
    )
    assert event == ConflictDeclared(member_id="HD-TH-2025-m5", journey_id="J-06")


def test_a_conflict_is_declared_by_the_member_or_the_officer_for_a_sitting_member() -> None:
    state = appointed()
    with pytest.raises(NotAllowed):  # another member cannot declare it for them
        decide_council(
            state,
            DeclareConflict(actor=member("HD-TH-2025", 3), member_id="HD-TH-2025-m4", journey_id="J-1"),
            NOW,
        )
    with pytest.raises(InvalidCommand):
        decide_council(
            state, DeclareConflict(actor=PROVINCIAL_OFFICER, member_id="outsider", journey_id="J-1"), NOW
        )
    # Not an administrator: the journey takes a conflict from the member or the standing agency
    # only, and a conflict the council holds but the journey refuses would let the member score.
    administrator = Actor(id="admin-1", role="administrator")
    with pytest.raises(NotAllowed):
        decide_council(
            state, DeclareConflict(actor=administrator, member_id="HD-TH-2025-m4", journey_id="J-1"), NOW
        )


# -- what the roster means at finalization (quorum and dispersion, ocop.md §3) -----------------


def totals(*values: str) -> dict[str, Decimal]:
    return {f"HD-TH-2025-m{i}": Decimal(v) for i, v in enumerate(values, start=1)}


def test_quorum_is_two_thirds_of_the_voting_members_with_the_chair() -> None:
    roster = appointed().roster_for("J-1")
    assert quorum_required(roster, RULEBOOK) == 6  # ceil(8 * 2 / 3) = ceil(5.33)
    with pytest.raises(QuorumNotMet):
        check_finalizable(roster, totals("70", "70", "70", "70", "70"), RULEBOOK)  # 5 of 6
    check_finalizable(roster, totals("70", "70", "70", "70", "70", "70"), RULEBOOK)
    without_chair = {f"HD-TH-2025-m{i}": Decimal(70) for i in range(2, 9)}  # 7 scored, not the chair
    with pytest.raises(QuorumNotMet, match="chair"):
        check_finalizable(roster, without_chair, RULEBOOK)


def test_a_conflicted_member_leaves_the_quorum_base() -> None:
    m4 = member("HD-TH-2025", 4)
    state = run(appointed(), DeclareConflict(actor=m4, member_id=m4.id, journey_id="J-1"))
    assert quorum_required(state.roster_for("J-1"), RULEBOOK) == 5  # ceil(7 * 2 / 3) = ceil(4.67)
    assert quorum_required(state.roster_for("J-2"), RULEBOOK) == 6


def test_the_council_overrides_the_rulebook_quorum_and_dispersion_limit() -> None:
    roster = appointed(quorum=Quorum(min_present=4), dispersion_limit=Decimal(5)).roster_for("J-1")
    assert quorum_required(roster, RULEBOOK) == 4
    check_finalizable(roster, totals("70", "72", "74", "75"), RULEBOOK)  # spread 5: allowed
    with pytest.raises(DispersionTooWide):
        check_finalizable(roster, totals("70", "72", "74", "75.01"), RULEBOOK)  # spread 5.01


def test_the_default_dispersion_limit_is_ten_points_inclusive() -> None:
    roster = appointed().roster_for("J-1")
    check_finalizable(roster, totals("70", "80", "75", "75", "75", "75"), RULEBOOK)  # exactly 10
    with pytest.raises(DispersionTooWide, match=r"10\.01"):
        check_finalizable(roster, totals("70", "80.01", "75", "75", "75", "75"), RULEBOOK)

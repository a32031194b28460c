"""Plans (ocop.md §5), pure: who sets a plan, what a plan is, and progress from dated recognitions.

The journeys come from ``tests.recognitions``: real ``decide``/``evolve`` folds with fixed clocks,
so the recognitions carry decision dates in 2024, 2025 and 2026 (see that module for each one).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from schemas.errors import InvalidCommand, NotAllowed
from schemas.log import Actor
from schemas.plan import PLAN_EVENT, Plan, PlanSet, SetPlan, StarProgress, plan_stream_id
from tests.factories import COMMUNE_OFFICER, PROVINCIAL_OFFICER, THANH_HOA
from tests.recognitions import ADMINISTRATOR, HANOI, plan_journeys
from workflows.plan_rules import decide_plan, evolve_plan, plan_progress

NOW = datetime(2025, 1, 6, 3, 0, tzinfo=UTC)
TARGETS_2025 = {3: 137, 4: 20, 5: 3}  # Thanh Hóa 2025: 137 three-star, 20 four-star, 3 five-star


def set_plan(
    targets: dict[int, int] | None = None,
    total: int | None = 160,
    province: int = THANH_HOA,
    year: int = 2025,
    actor: Actor = PROVINCIAL_OFFICER,
) -> SetPlan:
    return SetPlan.model_validate(
        {
            "actor": actor,
            "province_code": province,
            "year": year,
            "targets": TARGETS_2025 if targets is None else targets,
            "total": total,
        }
    )


def plan_of(command: SetPlan) -> Plan:
    state: Plan | None = None
    for event in decide_plan(state, command, NOW):
        state = evolve_plan(state, event, NOW)
    assert state is not None
    return state


# -- setting a plan ----------------------------------------------------------------------------


def test_the_provincial_officer_or_an_administrator_sets_a_plan() -> None:
    for actor in (PROVINCIAL_OFFICER, ADMINISTRATOR):
        [event] = decide_plan(None, set_plan(actor=actor), NOW)
        assert event == PlanSet(province_code=THANH_HOA, year=2025, targets={3: 137, 4: 20, 5: 3}, total=160)
    with pytest.raises(NotAllowed):
        decide_plan(None, set_plan(actor=COMMUNE_OFFICER), NOW)


def test_a_plan_needs_a_2025_province_and_a_total_not_below_the_per_star_targets() -> None:
    with pytest.raises(InvalidCommand, match="province code"):
        decide_plan(None, set_plan(province=99), NOW)
    with pytest.raises(InvalidCommand, match="total"):
        decide_plan(None, set_plan(total=159), NOW)  # 137 + 20 + 3 = 160
    assert decide_plan(None, set_plan(total=None), NOW)  # no total: the sum stands for it


def test_a_revision_is_a_new_event_and_the_plan_takes_its_targets() -> None:
    first = plan_of(set_plan())
    [revision] = decide_plan(first, set_plan({3: 140, 4: 20, 5: 3}, total=163), NOW)
    revised = evolve_plan(first, revision, NOW)
    assert (revised.version, revised.targets, revised.total) == (2, {3: 140, 4: 20, 5: 3}, 163)
    assert plan_stream_id(THANH_HOA, 2025) == "38-2025"


def test_targets_survive_the_log_and_the_read_model_where_json_keys_are_strings() -> None:
    """The log and the read models hold JSON, whose object keys are strings: "3", not 3."""
    [event] = decide_plan(None, set_plan(), NOW)
    stored = json.loads(json.dumps(event.model_dump(mode="json")))
    assert list(stored["targets"]) == ["3", "4", "5"]
    assert PLAN_EVENT.validate_python(stored) == event
    plan = evolve_plan(None, event, NOW)
    assert Plan.model_validate(json.loads(json.dumps(plan.model_dump(mode="json")))) == plan


def test_a_star_outside_three_to_five_is_no_target() -> None:
    with pytest.raises(ValueError, match="targets"):
        set_plan({2: 10})


# -- progress ---------------------------------------------------------------------------------


def test_progress_of_thanh_hoa_2025_splits_new_upgrade_and_re_evaluation_by_decision_date() -> None:
    plan = plan_of(set_plan())
    progress = plan_progress(plan, plan_journeys().values())
    # Counted (decision dates in 2025, Thanh Hóa):
    #   3★ new: N-2025-01-01 (district, 1 January), N-2025-12-31 (31 December), N-HANDICRAFT -> 3
    #   3★ re-evaluation: R-4TO3 (4★ renewed at 60 points, 25 August)                         -> 1
    #   4★ new: N-4STAR                                                                        -> 1
    #   4★ upgrade: U-3TO4 (3★ since 2023, 4★ on 20 September)                                 -> 1
    #   5★ new: N-5STAR (provincial 4★ on 1 October, central 5★ on 20 November: one new product,
    #           counted once, at its highest rank of the year)                                 -> 1
    # Not counted: N-2024-12-31 (2024), N-2026-01-01 (2026), HN-NEW (Hà Nội), the imported
    # certificates' original decisions (2022, 2023).
    assert progress.by_star == [
        StarProgress(stars=3, target=137, new=3, upgrade=0, re_evaluation=1, remaining=134),
        StarProgress(stars=4, target=20, new=1, upgrade=1, re_evaluation=0, remaining=19),
        StarProgress(stars=5, target=3, new=1, upgrade=0, re_evaluation=0, remaining=2),
    ]
    # Only new products count towards the targets: 160 - (3 + 1 + 1) = 155.
    assert (progress.total_target, progress.total_new, progress.total_remaining) == (160, 5, 155)


def test_the_year_turns_on_the_decision_date_31_december_in_1_january_out() -> None:
    journeys = list(plan_journeys().values())
    by_year = {
        year: {
            row.stars: row.new
            for row in plan_progress(plan_of(set_plan({}, None, year=year)), journeys).by_star
        }
        for year in (2024, 2025, 2026)
    }
    assert by_year[2024] == {3: 1, 4: 0, 5: 0}  # N-2024-12-31 only
    assert by_year[2025] == {3: 3, 4: 1, 5: 1}  # N-5STAR counts once, at 5★
    assert by_year[2026] == {3: 0, 4: 1, 5: 0}  # N-2026-01-01 only


def test_another_province_counts_only_its_own_recognitions() -> None:
    progress = plan_progress(plan_of(set_plan({3: 50}, None, province=HANOI)), plan_journeys().values())
    assert [(row.stars, row.new, row.target, row.remaining) for row in progress.by_star] == [
        (3, 1, 50, 49),
        (4, 0, None, None),  # no target for 4★ and 5★: no remaining gap either
        (5, 0, None, None),
    ]
    assert (progress.total_target, progress.total_new, progress.total_remaining) == (50, 1, 49)


def test_a_target_met_leaves_no_negative_gap() -> None:
    progress = plan_progress(plan_of(set_plan({3: 2, 4: 1}, None)), plan_journeys().values())
    assert [row.remaining for row in progress.by_star] == [0, 0, None]  # 3 new 3★ for 2, 2 new 4★ for 1
    assert (progress.total_target, progress.total_remaining) == (3, 0)

"""Plans as they are written (issue 19, item 2), pure: the five shipped plans read back as they state
their goals, what a goal may say, and each plan's progress after a scripted set of recognitions.

The journeys are real ``decide``/``evolve`` folds with fixed clocks (``tests.recognitions``): a year's
products go through the councils of the rulebook they pin (district then province before 2023,
the province from July 2025) and are recognized on chosen days. Provincial rounds are read models.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from schemas.commands import (
    AcceptDossier,
    AcceptIdea,
    ApplyUpgrade,
    ApprovePlan,
    ImportCertified,
    RegisterIdea,
    SubmitDossier,
    SubmitPlan,
)
from schemas.council import Council
from schemas.errors import InvalidCommand
from schemas.journey import JourneyState, Status
from schemas.log import Actor
from schemas.plan import (
    PLAN_EVENT,
    Bound,
    GoalKind,
    GoalProgress,
    Plan,
    PlanGoal,
    PlanProgress,
    PlanSet,
    SetPlan,
)
from schemas.plans import WRITTEN_PLANS, WrittenPlan
from schemas.roles import OFFICER_OF_LEVEL
from schemas.round import RoundState, RoundStatus
from schemas.rulebook import Level
from tests.factories import HAC_THANH, PROVINCIAL_OFFICER, THANH_HOA, council
from tests.recognitions import ADMINISTRATOR, PureJourney, plan_journeys, vn
from workflows import places
from workflows.lifecycle import applicable_rulebook
from workflows.plan_rules import decide_plan, evolve_plan, plan_progress

PHU_THO, HUNG_YEN, TAY_NINH = 25, 33, 80  # 2025 codes; Thái Bình lies in Hưng Yên since 2025
NOW = vn(date(2026, 12, 1))


def set_written(plan: WrittenPlan, actor: Actor = ADMINISTRATOR) -> SetPlan:
    """The command the API builds from the body ``ocop demo`` sends for a shipped plan."""
    return SetPlan.model_validate(
        {**plan.body(), "actor": actor, "province_code": plan.province_code, "year": plan.year}
    )


def plan_of(command: SetPlan) -> Plan:
    state: Plan | None = None
    for event in decide_plan(state, command, NOW):
        state = evolve_plan(state, event, NOW)
    assert state is not None
    return state


def written(name: str) -> Plan:
    return plan_of(set_written(WRITTEN_PLANS[name]))


def as_stated(goal: PlanGoal) -> tuple[object, ...]:
    """A goal as a plan says it: kind, how many (exact, at least, a range), of what rank and level,
    where (and over how many districts)."""
    number: object = goal.value if goal.bound != Bound.RANGE else (goal.value, goal.up_to)
    rank = None if goal.stars is None else f"{goal.stars}★{'+' if goal.or_higher else ''}"
    where = goal.scope.value
    return (goal.kind.value, goal.bound.value, number, rank, goal.level, where)


# -- the five plans, read back as they are written -------------------------------------------------


def test_the_five_plans_ship_and_read_back_as_they_state_their_goals() -> None:
    stated = {name: [as_stated(goal) for goal in plan.goals] for name, plan in WRITTEN_PLANS.items()}
    assert stated == {
        # KH 36/KH-UBND: 160 products, of which 3 five-star, 20 four-star, 137 three-star.
        "thanh-hoa-2025": [
            ("new_products", "exact", 160, None, None, "province"),
            ("new_products", "exact", 3, "5★", None, "province"),
            ("new_products", "exact", 20, "4★", None, "province"),
            ("new_products", "exact", 137, "3★", None, "province"),
        ],
        # KH 49/KH-UBND: at least 120 more products, of which 13 four-star and 4 five-star.
        "thanh-hoa-2024": [
            ("new_products", "at_least", 120, None, None, "province"),
            ("new_products", "exact", 13, "4★", None, "province"),
            ("new_products", "exact", 4, "5★", None, "province"),
        ],
        # KH 1155/KH-UBND: 10 to 15 products certified at provincial level; two provincial rounds.
        "tay-ninh-2022": [
            ("new_products", "range", (10, 15), None, Level.PROVINCE, "province"),
            ("provincial_rounds", "exact", 2, None, None, "province"),
        ],
        # 25 products supported and upgraded, at least 15 at 3★ or more (1–2 proposed to the
        # central level), at least 25 economic organisations; each of the 13 districts 2–3 products.
        "phu-tho-2020": [
            ("evaluated_products", "exact", 25, None, None, "province"),
            ("new_products", "at_least", 15, "3★+", None, "province"),
            ("proposed_to_central", "range", (1, 2), None, None, "province"),
            ("participating_organisations", "at_least", 25, None, None, "province"),
            ("evaluated_products", "range", (2, 3), None, None, "each_district"),
        ],
        # Upgrade at least 15–20 products (2–3 per district), at least 8 new (1–2 per district),
        # consolidate at least 15 organisations and develop at least one new one.
        "thai-binh-2020": [
            ("upgraded_products", "range", (15, 20), None, None, "province"),
            ("upgraded_products", "range", (2, 3), None, None, "each_district"),
            ("new_products", "at_least", 8, None, None, "province"),
            ("new_products", "range", (1, 2), None, None, "each_district"),
            ("consolidated_organisations", "at_least", 15, None, None, "province"),
            ("new_organisations", "at_least", 1, None, None, "province"),
        ],
    }
    # Where: the 2025 province, and for a plan of a province merged in 2025 the former province
    # and its districts (its towns and cities among them), whose products alone the plan counts.
    where = {
        name: (plan.province_code, plan.year, plan.former_province, len(plan.districts or []))
        for name, plan in WRITTEN_PLANS.items()
    }
    assert where == {
        "thanh-hoa-2025": (THANH_HOA, 2025, None, 0),
        "thanh-hoa-2024": (THANH_HOA, 2024, None, 0),
        "tay-ninh-2022": (TAY_NINH, 2022, "Tây Ninh", 9),
        "phu-tho-2020": (PHU_THO, 2020, "Phú Thọ", 13),
        "thai-binh-2020": (HUNG_YEN, 2020, "Thái Bình", 8),
    }


def test_each_plan_is_set_as_written_and_its_event_keeps_it_through_the_log() -> None:
    for plan in WRITTEN_PLANS.values():
        [event] = decide_plan(None, set_written(plan), NOW)
        assert isinstance(event, PlanSet)
        stored = json.loads(json.dumps(event.model_dump(mode="json")))
        assert PLAN_EVENT.validate_python(stored) == event
        state = evolve_plan(None, event, NOW)
        assert Plan.model_validate(json.loads(json.dumps(state.model_dump(mode="json")))) == state
        assert (state.goals, state.reference, state.former_province, state.districts) == (
            plan.goals,
            plan.reference,
            plan.former_province,
            plan.districts,
        )


def test_a_plan_event_stored_before_goals_still_parses_and_a_per_star_plan_is_stored_as_before() -> None:
    old = {
        "type": "plan_set",
        "province_code": 38,
        "year": 2025,
        "targets": {"3": 137, "4": 20, "5": 3},
        "total": 160,
    }
    event = PLAN_EVENT.validate_python(old)
    assert event.goals is None
    assert json.loads(json.dumps(event.model_dump(mode="json"))) == old  # no new keys in the record
    # Per-star targets and a total stand as exact goals of new products.
    plan = evolve_plan(None, event, NOW)
    assert [as_stated(goal) for goal in plan.all_goals] == [
        ("new_products", "exact", 137, "3★", None, "province"),
        ("new_products", "exact", 20, "4★", None, "province"),
        ("new_products", "exact", 3, "5★", None, "province"),
        ("new_products", "exact", 160, None, None, "province"),
    ]


# -- what a goal may say ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "why"),
    [
        ({"kind": "new_products", "bound": "range", "value": 10}, "upper end"),
        ({"kind": "new_products", "bound": "at_least", "value": 10, "up_to": 12}, "upper end"),
        ({"kind": "new_products", "bound": "range", "value": 10, "up_to": 10}, "above its lower end"),
        ({"kind": "participating_organisations", "value": 25, "stars": 3}, "rank"),
        ({"kind": "new_products", "value": 15, "or_higher": True}, "or_higher"),
        ({"kind": "provincial_rounds", "value": 2, "level": "province"}, "level"),
        ({"kind": "provincial_rounds", "value": 1, "scope": "each_district"}, "for the province"),
        ({"kind": "new_products", "value": 1, "scope": "commune"}, "commune"),
        ({"kind": "new_products", "value": 1, "district": "Vũ Thư"}, "district"),
        ({"kind": "new_products", "value": 1, "districts": ["Vũ Thư"]}, "each district"),
    ],
)
def test_a_goal_reads_one_way_only(goal: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        PlanGoal.model_validate(goal)


def test_a_plan_gives_targets_or_goals_and_its_communes_and_totals_must_hold() -> None:
    body = WRITTEN_PLANS["thanh-hoa-2025"].body()
    fields = {"actor": PROVINCIAL_OFFICER, "province_code": THANH_HOA, "year": 2025}
    with pytest.raises(InvalidCommand, match="not both"):
        decide_plan(None, SetPlan.model_validate({**fields, **body, "targets": {"3": 137}}), NOW)
    outside = {"kind": "new_products", "value": 1, "scope": "commune", "commune_code": 70}  # Hoàn Kiếm
    with pytest.raises(InvalidCommand, match="not in province"):
        decide_plan(None, SetPlan.model_validate({**fields, "goals": [outside]}), NOW)
    low_total = [*body["goals"][1:], {"kind": "new_products", "value": 159}]  # 3 + 20 + 137 = 160
    with pytest.raises(InvalidCommand, match="total of new products"):
        decide_plan(None, SetPlan.model_validate({**fields, "goals": low_total}), NOW)
    ranged_total = [
        *body["goals"][1:],
        {"kind": "new_products", "bound": "range", "value": 150, "up_to": 170},
    ]
    assert decide_plan(None, SetPlan.model_validate({**fields, "goals": ranged_total}), NOW)


# -- progress after scripted recognitions ----------------------------------------------------------


class Products:
    """Products of one province and year, each through the councils of the rulebook it pins."""

    def __init__(self, province: int) -> None:
        self.province = province
        self.communes = [code for code, _ in places.communes_of(province)]
        self.journeys: dict[str, JourneyState] = {}

    def _through_councils(self, driver: PureJourney, totals: list[str], finalized: date) -> PureJourney:
        """Evaluated at each level in turn (a district council for its district), until a result
        awaits recognition or none comes (not ranked)."""
        for total in totals:
            level = driver.journey.level
            district = driver.journey.district
            roster = (
                council(f"HD-{district}", Level.DISTRICT, district, size=7)
                if level == Level.DISTRICT and district
                else None
            )
            driver.at(finalized).evaluate(total, roster)
        return driver

    def intake(self, driver: PureJourney, producer: Actor) -> None:
        officer = Actor(
            id="intake-1", role=OFFICER_OF_LEVEL[applicable_rulebook(driver.state, driver.now).intake_level]
        )
        driver.run(AcceptIdea(actor=officer))
        driver.run(SubmitPlan(actor=producer, document="sha256:plan"))
        driver.run(ApprovePlan(actor=officer))
        driver.run(SubmitDossier(actor=producer, documents=["sha256:form"]))
        driver.run(
            AcceptDossier(
                actor=officer, commune_report="sha256:report" if officer.role == "commune_officer" else None
            )
        )

    def new(
        self,
        journey_id: str,
        producer: str,
        district: str | None,
        totals: list[str],
        decided: date | None,
        *,
        registered: date,
        organisation: str | None = None,
    ) -> JourneyState:
        """A new product registered and accepted on ``registered``, evaluated (every member scoring
        each of ``totals`` at a level in turn) and recognized on ``decided`` (None: not recognized)."""
        actor = Actor(id=producer, role="producer")
        driver = PureJourney(journey_id).at(registered)
        driver.run(
            RegisterIdea(
                actor=actor,
                journey_id=journey_id,
                producer_id=producer,
                product_name=f"Sản phẩm {journey_id}",
                product_group="food",
                province_code=self.province,
                commune_code=self.communes[len(self.journeys) % len(self.communes)],
                district=district,
                producer_organisation=organisation,
            )
        )
        self.intake(driver, actor)
        self._through_councils(driver, totals, registered)
        if decided is not None:
            driver.at(decided).recognize(decided, f"QĐ-{journey_id}")
        self.journeys[journey_id] = driver.journey
        return driver.journey

    def upgraded(
        self,
        journey_id: str,
        producer: str,
        district: str,
        stars: int,
        since: date,
        totals: list[str],
        decided: date,
    ) -> JourneyState:
        """A product certified at ``stars`` on ``since`` (imported), upgraded by a dossier accepted
        a month before ``decided``."""
        driver = PureJourney(journey_id).at(decided.replace(month=decided.month - 1))
        driver.run(
            ImportCertified(
                actor=ADMINISTRATOR,
                journey_id=journey_id,
                producer_id=producer,
                product_name=f"Sản phẩm {journey_id}",
                product_group="food",
                province_code=self.province,
                commune_code=self.communes[0],
                district=district,
                rulebook_id="qd1048-2019",
                level=Level.PROVINCE,
                stars=stars,
                decision_number=f"QĐ-cũ-{journey_id}",
                decision_date=since,
            )
        )
        actor = Actor(id=producer, role="producer")
        driver.run(ApplyUpgrade(actor=actor, documents=["sha256:upgrade"]))
        officer = Actor(
            id="intake-1", role=OFFICER_OF_LEVEL[applicable_rulebook(driver.state, driver.now).intake_level]
        )
        driver.run(AcceptDossier(actor=officer))
        self._through_councils(driver, totals, driver.now.date())
        driver.at(decided).recognize(decided, f"QĐ-{journey_id}")
        self.journeys[journey_id] = driver.journey
        return driver.journey


def provincial_round(round_id: str, province: int, meeting: date, status: RoundStatus) -> RoundState:
    held_by = Council(
        council_id=f"HD-{province}",
        name="Hội đồng cấp tỉnh",
        level=Level.PROVINCE,
        jurisdiction=str(province),
        seats=[],
    )
    return RoundState(
        round_id=round_id,
        name=round_id,
        council=held_by,
        level=Level.PROVINCE,
        jurisdiction=str(province),
        cut_off=meeting,
        meeting_date=meeting,
        status=status,
        opened_at=vn(meeting),
        updated_at=vn(meeting),
    )


def read(progress: PlanProgress) -> list[tuple[object, ...]]:
    """Each goal as the plan page reads it: what it counts, achieved, remaining, met or not."""
    return [(row.goal.kind.value, row.achieved, row.remaining, row.status.value) for row in progress.goals]


def areas(row: GoalProgress) -> dict[str, tuple[int, int, str]]:
    assert row.areas is not None
    return {area.name: (area.achieved, area.remaining, area.status.value) for area in row.areas}


def test_thanh_hoa_2025_and_2024_progress_of_new_products_per_star_and_in_total() -> None:
    journeys = list(plan_journeys().values())  # see tests/recognitions.py for each one's count
    progress = plan_progress(written("thanh-hoa-2025"), journeys)
    # 2025: new 3★ N-2025-01-01, N-2025-12-31, N-HANDICRAFT; new 4★ N-4STAR; new 5★ N-5STAR (its
    # provincial 4★ of the same year not counted again); upgrades and re-evaluations do not count.
    assert read(progress) == [
        ("new_products", 5, 155, "below"),
        ("new_products", 1, 2, "below"),
        ("new_products", 1, 19, "below"),
        ("new_products", 3, 134, "below"),
    ]
    assert [(row.stars, row.target, row.new, row.remaining) for row in progress.by_star] == [
        (3, 137, 3, 134),
        (4, 20, 1, 19),
        (5, 3, 1, 2),
    ]
    assert (progress.total_target, progress.total_new, progress.total_remaining) == (160, 5, 155)
    assert progress.reference == "KH 36/KH-UBND (24/02/2025)"
    # 2024: only N-2024-12-31 (3★, 31 December); "at least 120" has no 3★ target of its own.
    earlier = plan_progress(written("thanh-hoa-2024"), journeys)
    assert read(earlier) == [
        ("new_products", 1, 119, "below"),
        ("new_products", 0, 13, "below"),
        ("new_products", 0, 4, "below"),
    ]
    assert [(row.stars, row.target) for row in earlier.by_star] == [(3, None), (4, 13), (5, 4)]
    assert (earlier.total_target, earlier.total_new, earlier.total_remaining) == (120, 1, 119)


def test_tay_ninh_2022_counts_provincial_certificates_and_the_provincial_rounds_held() -> None:
    products = Products(TAY_NINH)
    # qd1048-2019: the district council passes the product on, the province certifies.
    products.new(
        "TN-1", "htx-1", "Huyện Hòa Thành", ["60", "62"], date(2022, 6, 20), registered=date(2022, 3, 1)
    )
    products.new(
        "TN-2", "htx-2", "Huyện Hòa Thành", ["75", "78"], date(2022, 11, 25), registered=date(2022, 9, 1)
    )
    products.new(
        "TN-3", "htx-3", "Thành phố Tây Ninh", ["65", "66"], date(2022, 12, 30), registered=date(2022, 9, 1)
    )
    products.new(
        "TN-2021",
        "htx-4",
        "Thành phố Tây Ninh",
        ["65", "66"],
        date(2021, 12, 20),
        registered=date(2021, 9, 1),
    )
    products.new(
        "TN-NOT", "htx-5", "Huyện Hòa Thành", ["45"], None, registered=date(2022, 3, 1)
    )  # not ranked
    # Long An's product: in Tây Ninh since 2025, but not in the plan of the Tây Ninh of 2022.
    products.new(
        "LA-1", "htx-la", "Huyện Đức Hòa", ["60", "62"], date(2022, 6, 20), registered=date(2022, 3, 1)
    )
    rounds = [
        provincial_round("TN-1/2022", TAY_NINH, date(2022, 6, 15), RoundStatus.RESULTS_PUBLISHED),
        provincial_round("TN-2/2022", TAY_NINH, date(2022, 11, 20), RoundStatus.CLOSED),
        provincial_round("TN-3/2022", TAY_NINH, date(2022, 12, 28), RoundStatus.OPEN),  # not held yet
        provincial_round("TN-2/2021", TAY_NINH, date(2021, 12, 15), RoundStatus.RESULTS_PUBLISHED),
        provincial_round("TH-1/2022", THANH_HOA, date(2022, 6, 15), RoundStatus.RESULTS_PUBLISHED),
    ]
    progress = plan_progress(written("tay-ninh-2022"), products.journeys.values(), rounds)
    assert read(progress) == [
        ("new_products", 3, 7, "below"),  # 10 to 15: 7 more to the lower end
        ("provincial_rounds", 2, 0, "met"),
    ]
    assert progress.former_province == "Tây Ninh"
    # A third round held makes the exact goal of two rounds exceeded.
    third = provincial_round("TN-3/2022", TAY_NINH, date(2022, 12, 28), RoundStatus.CLOSED)
    again = plan_progress(written("tay-ninh-2022"), products.journeys.values(), [*rounds[:2], third])
    assert read(again)[1] == ("provincial_rounds", 3, 0, "above")


def test_phu_tho_2020_counts_evaluations_ranks_proposals_organisations_and_each_district() -> None:
    products = Products(PHU_THO)
    products.new(
        "PT-1", "htx-a", "Huyện Cẩm Khê", ["60", "60"], date(2020, 8, 10), registered=date(2020, 3, 2)
    )
    products.new(
        "PT-2", "htx-a", "Huyện Cẩm Khê", ["72", "75"], date(2020, 8, 10), registered=date(2020, 3, 2)
    )
    products.new(
        "PT-3", "htx-b", "Cẩm Khê", ["45"], None, registered=date(2020, 3, 2)
    )  # not ranked, evaluated
    # 92 at the province: recognized 4★ and proposed to the central level for 5★.
    proposed = products.new(
        "PT-4", "htx-c", "Thành phố Việt Trì", ["80", "92"], date(2020, 9, 1), registered=date(2020, 3, 2)
    )
    assert (proposed.status, proposed.level) == (Status.AWAITING_ROUND, Level.CENTRAL)
    products.new(
        "PT-2019", "htx-d", "Huyện Lâm Thao", ["60", "60"], date(2019, 12, 20), registered=date(2019, 9, 2)
    )
    progress = plan_progress(written("phu-tho-2020"), products.journeys.values())
    assert read(progress) == [
        ("evaluated_products", 4, 21, "below"),  # PT-1..PT-4 (PT-2019 was evaluated in 2019)
        ("new_products", 3, 12, "below"),  # 3★, 4★ and 4★: at 3★ or more
        ("proposed_to_central", 1, 0, "met"),  # 1 to 2
        ("participating_organisations", 3, 22, "below"),  # htx-a (two products), htx-b, htx-c
        ("evaluated_products", 4, 23, "below"),  # each of 13 districts 2 to 3
    ]
    each_district = progress.goals[-1]
    assert (each_district.areas_met, each_district.areas_total) == (1, 13)
    by_district = areas(each_district)
    assert len(by_district) == 13  # every district the plan names, those with nothing too
    assert by_district["Cẩm Khê"] == (3, 0, "met")  # "Huyện Cẩm Khê" and "Cẩm Khê" are one district
    assert by_district["Thành phố Việt Trì"] == (1, 1, "below")
    assert by_district["Lâm Thao"] == (0, 2, "below")


def test_thai_binh_2020_counts_upgrades_new_products_per_district_and_organisations() -> None:
    products = Products(HUNG_YEN)
    # Certified 3★ in 2019, upgraded to 4★ in 2020: an upgrade, and a consolidated organisation.
    products.upgraded(
        "TB-U1", "htx-dh", "Huyện Đông Hưng", 3, date(2019, 11, 5), ["75", "80"], date(2020, 10, 20)
    )
    products.upgraded(
        "TB-U2", "htx-vt", "Huyện Vũ Thư", 3, date(2019, 11, 5), ["75", "80"], date(2020, 10, 20)
    )
    products.new(
        "TB-N1", "htx-dh", "Huyện Đông Hưng", ["60", "60"], date(2020, 9, 1), registered=date(2020, 3, 2)
    )
    products.new(
        "TB-N2", "thtx-1", "Huyện Vũ Thư", ["60", "60"], date(2020, 9, 1), registered=date(2020, 3, 2)
    )
    products.new(
        "TB-N3", "thtx-1", "Huyện Vũ Thư", ["60", "60"], date(2020, 9, 1), registered=date(2020, 3, 2)
    )
    products.new(
        "TB-N4", "dn-2", "Huyện Vũ Thư", ["55", "58"], date(2020, 12, 1), registered=date(2020, 3, 2)
    )
    # Hưng Yên's own products (the Hưng Yên of 2020): not in Thái Bình's plan.
    products.new(
        "HY-1", "htx-hy", "Huyện Văn Lâm", ["60", "60"], date(2020, 9, 1), registered=date(2020, 3, 2)
    )
    products.upgraded(
        "HY-U", "htx-hy2", "Huyện Khoái Châu", 3, date(2019, 11, 5), ["75", "80"], date(2020, 10, 20)
    )
    # Certified in 2019 and nothing in 2020: takes no part that year.
    products.new(
        "TB-2019", "htx-old", "Huyện Tiền Hải", ["60", "60"], date(2019, 12, 20), registered=date(2019, 9, 2)
    )
    progress = plan_progress(written("thai-binh-2020"), products.journeys.values())
    assert read(progress) == [
        ("upgraded_products", 2, 13, "below"),  # at least 15–20
        ("upgraded_products", 2, 14, "below"),  # 2–3 in each of 8 districts: 1 + 1 short in two, 2 × 6
        ("new_products", 4, 4, "below"),  # at least 8
        ("new_products", 4, 6, "below"),  # 1–2 per district: Vũ Thư over (3), six with none
        ("consolidated_organisations", 2, 13, "below"),  # htx-dh and htx-vt, in OCOP since 2019
        ("new_organisations", 2, 0, "met"),  # thtx-1 and dn-2, first in 2020
    ]
    new_per_district = areas(progress.goals[3])
    assert new_per_district["Vũ Thư"] == (3, 0, "above")
    assert new_per_district["Đông Hưng"] == (1, 0, "met")
    assert new_per_district["Tiền Hải"] == (0, 1, "below")
    assert (progress.goals[3].areas_met, progress.goals[3].areas_total) == (2, 8)
    assert progress.former_province == "Thái Bình"


def test_a_goal_of_a_commune_and_of_each_commune() -> None:
    goals = [
        {"kind": "new_products", "value": 2, "scope": "commune", "commune_code": HAC_THANH},
        {"kind": "new_products", "bound": "at_least", "value": 1, "scope": "each_commune"},
    ]
    plan = plan_of(
        SetPlan.model_validate(
            {"actor": PROVINCIAL_OFFICER, "province_code": THANH_HOA, "year": 2025, "goals": goals}
        )
    )
    progress = plan_progress(plan, plan_journeys().values())
    communes = len(places.communes_of(THANH_HOA))
    # Every Thanh Hóa product of tests/recognitions.py lies in Phường Hạc Thành: 5 new in 2025.
    assert read(progress) == [("new_products", 5, 0, "above"), ("new_products", 5, communes - 1, "below")]
    each = progress.goals[1]
    assert (each.areas_met, each.areas_total) == (1, communes)
    assert areas(each) == {places.commune_name(HAC_THANH): (5, 0, "met")}  # only communes with a count


def test_organisations_are_counted_by_their_organisation_and_else_by_the_producer() -> None:
    """Two producer accounts of one cooperative count once; journeys that name no organisation
    (before producers were entered) count by their producer."""
    products = Products(PHU_THO)
    for journey_id, producer, organisation in (
        ("PT-A1", "member-1", "HTX-CHE-PHU-THO"),
        ("PT-A2", "member-2", "HTX-CHE-PHU-THO"),
        ("PT-B", "member-3", "DN-MAT-ONG"),
        ("PT-C", "ho-kinh-doanh-1", None),
        ("PT-D", "ho-kinh-doanh-1", None),
    ):
        products.new(
            journey_id, producer, "Huyện Cẩm Khê", ["60", "60"], date(2020, 8, 10),
            registered=date(2020, 3, 2), organisation=organisation,
        )  # fmt: skip
    progress = plan_progress(written("phu-tho-2020"), products.journeys.values())
    taking_part = next(row for row in progress.goals if row.goal.kind == GoalKind.PARTICIPATING_ORGANISATIONS)
    # The cooperative (two accounts), the firm, the household business (two products): three.
    assert (taking_part.achieved, taking_part.remaining) == (3, 22)

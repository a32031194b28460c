"""The chair's board explains a rank capped by star minimums in words (ocop.md §7): the council's
own result on the members' sheets, before finalizing and once finalized."""

from __future__ import annotations

from datetime import date

from schemas.commands import RegisterIdea, SubmitScorecard
from schemas.log import Actor
from schemas.scorecard import SHEETS
from tests.factories import (
    HAC_THANH,
    PRODUCER,
    THANH_HOA,
    JourneyDriver,
    accept,
    enrol,
    finalize,
    intake_to_dossier,
    parts,
    province_council,
    vn,
)
from tests.scoresheets import filled, option_worth
from web.board import evaluation_row, result_row
from web.i18n import Translator

SHEET = SHEETS["qd26-2026"]["I.1.a"]


def _scored_food_product() -> JourneyDriver:
    driver = JourneyDriver(vn(date(2026, 6, 1)))
    driver.run(
        RegisterIdea(
            actor=PRODUCER,
            journey_id="J-BOARD",
            producer_id=PRODUCER.id,
            product_name="Bưởi Luận Văn",
            product_group="food",
            product_set=SHEET.product_set,
            province_code=THANH_HOA,
            commune_code=HAC_THANH,
        )
    )
    driver.run_all([*intake_to_dossier(), accept()])
    roster = province_council()
    driver.run(enrol(roster))
    criterion = SHEET.criterion("1.5")
    assert criterion is not None
    short = filled(SHEET, {"1.5": option_worth(criterion, "2.00")})  # below its 5★ minimum (3)
    for index, member_id in enumerate(roster.voting_member_ids):
        choices = short if index < 5 else filled(SHEET)
        driver.run(SubmitScorecard(actor=Actor(id=member_id, role="council_member"), choices=choices))
    return driver


def test_the_board_says_why_a_five_star_mean_is_awarded_four_stars_before_and_after_finalizing() -> None:
    driver = _scored_food_product()
    vi, en = Translator("vi"), Translator("en")
    before = evaluation_row(driver.journey)
    assert (before.band_stars, before.stars) == (5, 4)
    assert before.capped is not None
    words = vi(
        "board.capped",
        band=before.band_stars,
        stars=before.stars,
        rank=before.capped.stars,
        criteria=vi.join([s.criterion for s in before.capped.shortfalls]),
    )
    assert words == "5★ theo điểm; 4★ vì 1.5 dưới mức tối thiểu của 5★"

    driver.run(finalize(province_council()))
    after = result_row(driver.journey, driver.journey.results[-1])
    assert after.capped == before.capped
    assert en.join(["2.1", "3.4", "5.1"]) == "2.1, 3.4 and 5.1"
    assert vi.join(["2.1", "5.1"]) == "2.1 và 5.1"


def test_a_flat_sheet_is_never_capped() -> None:
    driver = JourneyDriver(vn(date(2026, 6, 1))).to_awaiting_round()
    roster = province_council()
    driver.run(enrol(roster))
    driver.run_all(
        SubmitScorecard(actor=Actor(id=m, role="council_member"), parts=parts("38", "23", "33"))
        for m in roster.voting_member_ids
    )
    row = evaluation_row(driver.journey)
    assert (row.stars, row.band_stars, row.capped) == (5, None, None)

"""The chair's board explains a rank capped by star minimums in words (ocop.md §7): the council's
own result on the members' sheets, before finalizing and once finalized."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from schemas.commands import RegisterIdea, SubmitScorecard
from schemas.events import CouncilFinalized
from schemas.log import Actor
from schemas.scorecard import SHEETS
from tests.factories import (
    HAC_THANH,
    PRODUCER,
    THANH_HOA,
    JourneyDriver,
    enrol,
    finalize,
    intake_to_dossier,
    parts,
    province_council,
    register,
    vn,
)
from tests.scoresheets import filled, option_worth, sheet_for_total
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
    driver.run_all(intake_to_dossier())
    driver.run(driver.accept())
    roster = province_council()
    driver.run(enrol(roster))
    driver.run_all(driver.advise_before_council())
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
    # Flat sheets are the older rulebooks' (qd148-1489-2025 on 2 March 2026): under qd26-2026 every
    # dossier names its set and is scored on its sheet.
    driver = JourneyDriver().to_awaiting_round()
    assert driver.sheet().flat
    roster = province_council()
    driver.run(enrol(roster))
    driver.run_all(driver.advise_before_council())
    driver.run_all(
        SubmitScorecard(actor=Actor(id=m, role="council_member"), parts=parts("38", "23", "33"))
        for m in roster.voting_member_ids
    )
    row = evaluation_row(driver.journey)
    assert (row.stars, row.band_stars, row.capped) == (5, None, None)


def test_the_board_says_why_a_four_star_mean_is_awarded_three_stars_in_the_issues_words() -> None:
    """The issue's own example: 4★ by score; 3★ because 2.1 and 5.1 are below the 4★ minimum. Eight
    sheets worth 82-84 with 2.1 at 1 point (its 4★ minimum is 3) and 5.1 at 3 (minimum 5): totals
    78, 79, 80, 78, 79, 80, 78, 79, mean 631 / 8 = 78.875 (4★ band); 2.1's council mean 1 < 3 and
    5.1's 3 < 5, neither has a 3★ minimum: 3★."""
    driver = JourneyDriver(vn(date(2026, 12, 2)))
    driver.run(register(district=None))  # names its group's set, I.1.a
    driver.run_all(intake_to_dossier())
    driver.run(driver.accept())
    roster = province_council()
    driver.run(enrol(roster))
    driver.run_all(driver.advise_before_council())
    c21, c51 = SHEET.criterion("2.1"), SHEET.criterion("5.1")
    assert c21 is not None
    assert c51 is not None
    for index, member_id in enumerate(roster.voting_member_ids):
        choices = sheet_for_total(SHEET, str(82 + index % 3))
        choices["2.1"] = option_worth(c21, "1.00")
        choices["5.1"] = option_worth(c51, "3.00")
        driver.run(SubmitScorecard(actor=Actor(id=member_id, role="council_member"), choices=choices))
    row = evaluation_row(driver.journey)
    assert row.capped is not None
    said = {
        t.lang: t(
            "board.capped",
            band=row.band_stars,
            stars=row.stars,
            rank=row.capped.stars,
            criteria=t.join([s.criterion for s in row.capped.shortfalls]),
        )
        for t in (Translator("vi"), Translator("en"))
    }
    assert said == {
        "vi": "4★ theo điểm; 3★ vì 2.1 và 5.1 dưới mức tối thiểu của 4★",
        "en": "4★ by score; 3★ because 2.1 and 5.1 are below the 4★ minimum",
    }
    (finalized,) = driver.run(finalize(roster))
    assert isinstance(finalized, CouncilFinalized)
    assert (finalized.mean, finalized.band_stars, finalized.stars) == (Decimal("78.88"), 4, 3)

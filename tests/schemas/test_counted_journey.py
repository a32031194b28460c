"""Plan progress reads only a slice of each journey's read model (``CountedJourney``); the slice
must mean what the whole does, field by field, or the plan's figures would drift from the log's."""

from __future__ import annotations

from schemas.journey import CountedJourney, JourneyState
from schemas.plans import WRITTEN_PLANS
from tests.recognitions import plan_journeys
from tests.workflows.test_plan_written import written
from workflows.plan_rules import plan_progress


def test_every_counted_field_is_the_journey_field_of_the_same_name_and_type() -> None:
    whole = JourneyState.model_fields
    for name, field in CountedJourney.model_fields.items():
        assert name in whole, f"CountedJourney.{name} is no field of JourneyState"
        assert field.annotation == whole[name].annotation, name
        assert field.is_required() == whole[name].is_required(), name


def test_progress_counted_from_the_slice_is_the_progress_counted_from_whole_journeys() -> None:
    journeys = list(plan_journeys().values())
    counted = CountedJourney.model_fields
    sliced = [
        CountedJourney.model_validate(
            {key: value for key, value in journey.model_dump(mode="json").items() if key in counted}
        )
        for journey in journeys
    ]
    progress = {name: plan_progress(written(name), journeys) for name in WRITTEN_PLANS}
    assert any(whole.total_new for whole in progress.values())
    for name, whole in progress.items():
        assert plan_progress(written(name), sliced) == whole, name

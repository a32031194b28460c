"""Stable Temporal workflow ids, derived from the domain's ids."""

from __future__ import annotations


def journey_workflow_id(journey_id: str) -> str:
    """The workflow of a product journey."""
    return f"journey-{journey_id}"


def round_workflow_id(round_id: str) -> str:
    """The workflow of an evaluation round."""
    return f"round-{round_id}"

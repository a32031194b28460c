"""Council arithmetic (ocop.md §3–§4): part ranges, totals, quorum, dispersion, mean and star band.

Pure functions shared by the lifecycle, the round results and the chair's board, so that a page
never computes a mean differently from the engine.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from schemas.council import CouncilRoster
from schemas.errors import DispersionTooWide, QuorumNotMet, ScoreOutOfRange
from schemas.refusals import Reason
from schemas.rulebook import PARTS, Part, Rulebook

HUNDREDTH = Decimal("0.01")


def check_parts(parts: Mapping[Part, Decimal], rulebook: Rulebook) -> Decimal:
    """Validate a scorecard against the rulebook's part maxima; return its total."""
    if set(parts) != set(PARTS):
        raise ScoreOutOfRange(Reason("scoring.parts_exactly_abc"))
    step = Decimal(1).scaleb(-rulebook.score_decimals)
    for part in PARTS:
        value, maximum = parts[part], rulebook.scorecard[part]
        if not value.is_finite() or value < 0 or value > maximum:
            raise ScoreOutOfRange(Reason("scoring.part_range", part=part, maximum=maximum, value=value))
        if value != value.quantize(step):
            raise ScoreOutOfRange(
                Reason("scoring.part_decimals", part=part, places=rulebook.score_decimals, value=value)
            )
    return sum((parts[part] for part in PARTS), Decimal(0))


def council_mean(totals: Sequence[Decimal]) -> Decimal:
    """Arithmetic mean of the members' totals, rounded half-up to two decimals."""
    if not totals:
        raise QuorumNotMet(Reason("scoring.no_scorecard"))
    return (sum(totals, Decimal(0)) / len(totals)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def dispersion(totals: Sequence[Decimal]) -> Decimal:
    """Highest total minus lowest total."""
    return max(totals) - min(totals) if totals else Decimal(0)


def quorum_required(council: CouncilRoster, rulebook: Rulebook) -> int:
    """How many voting members must have scored; members with a declared conflict do not count."""
    quorum = council.quorum or rulebook.level_rules(council.level).quorum
    eligible = [member for member in council.voting_member_ids if member not in council.conflicts]
    return quorum.required(len(eligible))


def dispersion_limit(council: CouncilRoster, rulebook: Rulebook) -> Decimal:
    if council.dispersion_limit is not None:
        return council.dispersion_limit
    return rulebook.level_rules(council.level).dispersion_limit


def check_quorum(council: CouncilRoster, scored: Collection[str], rulebook: Rulebook) -> None:
    """Raise QuorumNotMet unless the members in ``scored`` make a quorum (who has scored, not
    what: the board of a member who has not scored yet checks this much)."""
    quorum = council.quorum or rulebook.level_rules(council.level).quorum
    required = quorum_required(council, rulebook)
    if len(scored) < required:
        raise QuorumNotMet(Reason("scoring.quorum", scored=len(scored), required=required))
    if quorum.chair_required and council.chair_id not in scored:
        raise QuorumNotMet(Reason("scoring.chair_absent"))


def check_finalizable(council: CouncilRoster, totals: Mapping[str, Decimal], rulebook: Rulebook) -> None:
    """Raise why the chair cannot finalize yet (quorum, then dispersion), or return."""
    check_quorum(council, totals.keys(), rulebook)
    spread, limit = dispersion(list(totals.values())), dispersion_limit(council, rulebook)
    if spread > limit:
        raise DispersionTooWide(Reason("scoring.dispersion", spread=spread, limit=limit))

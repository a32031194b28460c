"""Domain errors: why a step was refused. Each maps to one HTTP status (``http_status``) and travels
through Temporal as ``ApplicationError(type=<class name>)``. A refusal is given as a ``Reason`` (its
template in ``schemas.refusals``, told in Vietnamese or English); an English string still works for
sites not yet converted (no translation: it is shown as written)."""

from __future__ import annotations

from typing import Any

from schemas.refusals import CodeWords, Reason

# Every domain error by its code (the class name): how a refusal that crossed Temporal as
# ``ApplicationError(type=<code>)`` becomes its error again, and its HTTP status with it. Filled by
# ``DomainError.__init_subclass__``, so an error defined anywhere is in it the moment it exists.
DOMAIN_ERRORS: dict[str, type[DomainError]] = {}


class DomainError(Exception):
    """A step that the OCOP rules do not allow; nothing is recorded."""

    http_status = 409

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        known = DOMAIN_ERRORS.get(cls.__name__)
        # The code travels alone through Temporal: two errors of one name could not be told apart
        # (the same class defined again, e.g. its module reloaded, replaces itself).
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(
                f"two domain errors are named {cls.__name__}: {known.__module__} and {cls.__module__}"
            )
        DOMAIN_ERRORS[cls.__name__] = cls

    def __init__(self, message: str | Reason) -> None:
        reason = message if isinstance(message, Reason) else None
        text = reason.message if reason is not None else str(message)
        super().__init__(text)
        self.message = text
        # The template and its parameters, which cross Temporal in the error's details.
        self.why = reason

    def told(self, lang: str, words: CodeWords | None = None) -> str:
        """The refusal in ``lang`` (``schemas.refusals.told``); an unconverted one as written."""
        return self.why.text(lang, words) if self.why is not None else self.message

    @property
    def code(self) -> str:
        return type(self).__name__


class WrongState(DomainError):
    """The journey is not in a state where this step is possible."""


class NotAllowed(DomainError):
    """The actor's role or seat does not allow this step."""

    http_status = 403


class WrongLevel(DomainError):
    """The step names a level other than the one the journey is at."""


class NotAVotingMember(NotAllowed):
    """Only a voting member of the council that evaluates the product may score it."""


class SecretaryCannotScore(NotAllowed):
    """The council secretary never scores."""


class ConflictOfInterest(NotAllowed):
    """The member declared a conflict of interest with this product."""


class ScoreOutOfRange(DomainError):
    """A part score is below 0, above the part maximum, or has more than two decimals."""

    http_status = 422


class InvalidCommand(DomainError):
    """The command is malformed for this journey (e.g. an unknown product group)."""

    http_status = 422


class StepIncomplete(InvalidCommand):
    """A step lacks what the pinned rulebook requires it to carry or to follow (qd26-2026: the
    commune's Mẫu 03 assessment and proposal at acceptance, Art. 6.2 and 7.2.b; the advisory team's
    review before the council's first scorecard, Art. 7.3.c–d)."""


class AdvisoryReviewPending(StepIncomplete):
    """A council's first scorecard on a dossier whose advisory team has not recorded the steps the
    rulebook puts before the council (Tổ tư vấn đánh giá hồ sơ, qd26-2026 Art. 7.3.c, 7.4.c)."""


class ProductSetRequired(InvalidCommand):
    """A dossier filed under a rulebook that scores by option (its product sets have sheets) names no
    product set, at registration or with the dossier. ``field`` is the request field it concerns, so
    that the API's 422 and the page point at it."""

    field = "product_set"


class InvalidScorecard(DomainError):
    """A scorecard that does not fit its sheet (phiếu đánh giá): an unknown criterion, a missing
    applicable one, an option not in its list, an answer to a criterion whose condition does not
    hold. ``criterion`` names the criterion's code so that the API and the page point at that field;
    ``problem`` says which of these it is (schemas.scorecard.ScorecardProblem)."""

    http_status = 422

    def __init__(
        self, message: str | Reason, *, criterion: str | None = None, problem: str | None = None
    ) -> None:
        super().__init__(message)
        self.criterion = criterion
        self.problem = problem


class AlreadyScored(DomainError):
    """The member has a scorecard for this product already: amend it instead."""


class NoScorecard(DomainError):
    """There is no scorecard of this member to amend."""


class QuorumNotMet(DomainError):
    """Too few voting members (or not the chair) have scored to finalize."""


class DispersionTooWide(DomainError):
    """The highest and lowest totals differ by more than the council allows."""


class NotCertified(DomainError):
    """The step needs a certificate in force."""


class AfterCutOff(DomainError):
    """The dossier was accepted after the round's cut-off, or the round's enrolment has closed."""


class UnknownJourney(DomainError):
    """No journey with that id (e.g. named in a round's enrolment)."""

    http_status = 404


class NotDue(DomainError):
    """A timed step (expiry, lapse, escalation) whose time has not come."""


DOMAIN_ERRORS[DomainError.__name__] = DomainError

"""Who is told what (ai được thông báo điều gì): one row per event that warrants a notice.

Each row names the stream and event type it hangs on, an optional condition on the event's data,
the recipients (resolved from the engine's own state when the notifier meets the event) and the
template of its words (notifier/templates.py). Rows whose event does not exist yet are listed as
``pending`` with the event type they will hang on; tests/notifier/test_table.py fails when a row
that is not pending names an event type no stream has.

At most one row matches an event: rows of one event type are told apart by ``when``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Recipients(StrEnum):
    """Who a row tells, as the engine knows them (actors, by role and jurisdiction)."""

    PRODUCER = "producer"  # the journey's producer_id (chủ thể sản xuất)
    COMMUNE_OFFICERS = "commune_officers"  # commune officers of the journey's commune (UBND cấp xã)
    PROVINCIAL_OFFICERS = "provincial_officers"  # the province's standing agency (cơ quan thường trực)
    VOTING_MEMBERS = "voting_members"  # the council's voting members in the event, but conflicted ones
    RESPONSIBLE = "responsible"  # actors in the role that owed a missed step (``due_from``), covering it
    # (a journey's product, or for a round's deadline the round's council's jurisdiction)
    RESULT_PRODUCERS = "result_producers"  # producers of every product in a round's published results
    RESULT_COMMUNES = "result_communes"  # commune officers of every product in a round's results
    LEVEL_AGENCY = "level_agency"  # the OCOP agency of the event's ``level`` covering the product
    FORWARDED_AGENCY = "forwarded_agency"  # the OCOP agency of the level in ``forward_to``


@dataclass(frozen=True)
class NoticeRow:
    """One line of the table: on this event, tell these recipients with this template."""

    name: str
    stream: str
    event_type: str
    recipients: tuple[Recipients, ...]
    template: str
    what: str
    when: Mapping[str, Any] = field(default_factory=dict)
    # Values of the event's data that must NOT hold (a catch-all after the rows that take them).
    unless: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    pending: bool = False

    def matches(self, data: Mapping[str, Any]) -> bool:
        if self.pending:
            return False
        for key, value in self.when.items():
            if value is _PRESENT:
                if data.get(key) is None:
                    return False
            elif data.get(key) != value:
                return False
        return all(data.get(key) not in values for key, values in self.unless.items())


# ``when`` value: the field is present and not null.
_PRESENT: Any = object()

_DOSSIER_EVENTS = ("dossier_submitted", "upgrade_applied", "re_evaluation_applied", "dossier_resubmitted")

NOTICES: tuple[NoticeRow, ...] = (
    NoticeRow(
        "idea_returned",
        "journey",
        "idea_returned",
        (Recipients.PRODUCER,),
        "idea_returned",
        "The commune returned the product idea, with its reason (trả lại ý tưởng sản phẩm).",
    ),
    NoticeRow(
        "plan_returned",
        "journey",
        "plan_returned",
        (Recipients.PRODUCER,),
        "plan_returned",
        "The commune returned the business plan, with its reason (trả lại phương án sản xuất kinh doanh).",
    ),
    NoticeRow(
        "dossier_returned",
        "journey",
        "dossier_returned",
        (Recipients.PRODUCER,),
        "dossier_returned",
        "The dossier was returned: what is missing, and by when (bổ sung hồ sơ).",
    ),
    *(
        NoticeRow(
            f"commune_report_due.{event_type}",
            "journey",
            event_type,
            (Recipients.COMMUNE_OFFICERS,),
            "commune_report_due",
            "A dossier arrived: the commune's report is due by the day given.",
            when={"commune_report_due": _PRESENT},
        )
        for event_type in _DOSSIER_EVENTS
    ),
    NoticeRow(
        "commune_report_missed",
        "journey",
        "deadline_missed",
        (Recipients.COMMUNE_OFFICERS, Recipients.PROVINCIAL_OFFICERS),
        "commune_report_missed",
        "The commune's report was not given by its day.",
        when={"deadline": "commune_report"},
    ),
    NoticeRow(
        "deadline_missed",
        "journey",
        "deadline_missed",
        (Recipients.RESPONSIBLE, Recipients.PROVINCIAL_OFFICERS),
        "deadline_missed",
        "Any other deadline passed without its step: the role that owed it, and the province's agency.",
        unless={"deadline": ("commune_report",)},
    ),
    NoticeRow(
        "round_results_overdue",
        "round",
        "deadline_missed",
        (Recipients.RESPONSIBLE,),
        "round_results_overdue",
        "A round's results were not published by the calendar's end date (qd26-2026 Art. 5): the role that "
        "owed them, in the council's jurisdiction.",
    ),
    NoticeRow(
        "scorecard_awaited",
        "journey",
        "enrolled_in_round",
        (Recipients.VOTING_MEMBERS,),
        "scorecard_awaited",
        "A product was enrolled in a round: each voting member is to score it.",
    ),
    NoticeRow(
        "scorecard_awaited.carried_over",
        "journey",
        "carried_over",
        (Recipients.VOTING_MEMBERS,),
        "scorecard_awaited",
        "A product was carried to the council's next round: still to be scored.",
    ),
    NoticeRow(
        "result_finalized",
        "journey",
        "council_finalized",
        (Recipients.PRODUCER, Recipients.COMMUNE_OFFICERS),
        "result_finalized",
        "The council finalized its result (kết quả đánh giá).",
    ),
    NoticeRow(
        "results_published",
        "round",
        "results_published",
        (Recipients.RESULT_PRODUCERS, Recipients.RESULT_COMMUNES),
        "results_published",
        "The round's results were published (công bố kết quả).",
    ),
    NoticeRow(
        "result_approved",
        "journey",
        "result_approved",
        (Recipients.PRODUCER, Recipients.COMMUNE_OFFICERS, Recipients.FORWARDED_AGENCY),
        "result_approved",
        "The authority approved the council's result and passed the product on to the next level's "
        "council (phê duyệt kết quả, qd26-2026 Art. 7.3.e): the producer, the commune, and the agency "
        "that prepares that council's round.",
    ),
    NoticeRow(
        "sent_back_for_evaluation",
        "journey",
        "sent_back_for_evaluation",
        (Recipients.PRODUCER, Recipients.LEVEL_AGENCY),
        "sent_back_for_evaluation",
        "Instead of recognizing, the authority has its own level's council evaluate the product again "
        "(qd26-2026 Art. 7.4.g): the producer, and that level's agency, which organizes it.",
    ),
    NoticeRow(
        "result_notice_issued",
        "journey",
        "result_notice_issued",
        (Recipients.PRODUCER, Recipients.COMMUNE_OFFICERS),
        "result_notice_issued",
        "A council result that gets no decision (1★, 2★ or a mandatory criterion failed) is told in "
        "writing to the producer and the commune (thông báo bằng văn bản, qd26-2026 Art. 7.3.g).",
    ),
    NoticeRow(
        "recognized",
        "journey",
        "recognized",
        (Recipients.PRODUCER,),
        "recognized",
        "The product was recognized and its certificate issued (công nhận, cấp giấy chứng nhận).",
    ),
    NoticeRow(
        "certificate_expired",
        "journey",
        "certificate_expired",
        (Recipients.PRODUCER,),
        "certificate_expired",
        "The certificate's term ended (hết hiệu lực).",
    ),
    NoticeRow(
        "revoked",
        "journey",
        "revoked",
        (Recipients.PRODUCER,),
        "revoked",
        "The recognition was revoked (thu hồi), on its grounds.",
    ),
    NoticeRow(
        "expiry_notice",
        "journey",
        "expiry_notice_sent",
        (Recipients.PRODUCER,),
        "expiry_notice",
        "The expiry notice fell due: the certificate runs out soon. (The event's name says 'sent'; it "
        "records that the notice fell due, and the notifier's hand-off is kept in the notices table.)",
    ),
    NoticeRow(
        "re_evaluation_window_opened",
        "journey",
        "re_evaluation_window_opened",
        (Recipients.PRODUCER, Recipients.PROVINCIAL_OFFICERS),
        "re_evaluation_window_opened",
        "The re-evaluation window opened (T−180 days before the certificate runs out, qd26-2026 Art. 7.6).",
    ),
    NoticeRow(
        "re_evaluation_window_closing",
        "journey",
        "re_evaluation_window_closing",
        (Recipients.PRODUCER, Recipients.PROVINCIAL_OFFICERS),
        "re_evaluation_window_closing",
        "The re-evaluation window's last day (T−120) passed with nothing filed (Art. 12.3 from then on).",
    ),
    NoticeRow(
        "certificate_extended",
        "journey",
        "certificate_extended",
        (Recipients.PRODUCER,),
        "certificate_extended",
        "The term ended during the re-evaluation: valid until the decision, at most 180 days (Art. 12.3).",
    ),
    NoticeRow(
        "inspection_due",
        "journey",
        "inspection_due",
        (Recipients.PROVINCIAL_OFFICERS,),
        "inspection_due",
        "A certified product is due its periodic inspection (kiểm tra định kỳ, qd26-2026 Art. 9.2.a): the "
        "rulebook's interval passed since its recognition or last inspection; the provincial agency "
        "whose jurisdiction covers the product is told.",
    ),
)

# Not a row of events: the administrators' notice that an e-mail could not be delivered.
EMAIL_FAILED = "email_failed"


def row_for(stream_type: str, event_type: str, data: Mapping[str, Any]) -> NoticeRow | None:
    """The row that tells about this event, or None when no one is told."""
    for row in NOTICES:
        if row.stream == stream_type and row.event_type == event_type and row.matches(data):
            return row
    return None


def pending_rows() -> list[NoticeRow]:
    """Rows that wait for their event to exist."""
    return [row for row in NOTICES if row.pending]

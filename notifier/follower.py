"""The notifier (bộ gửi thông báo): a follower of the gap-free feed with a cursor of its own.

Two loops share one process:

- **follow**: read the feed after the cursor (``EventStore.read_all``, which never skips a late
  commit), find each event's row of the table (notifier/table.py), resolve its recipients from the
  engine's own state (the journey's opening event, the council roster in the event, the actors
  table by role and jurisdiction), and write one inbox notice and one e-mail notice per recipient
  together with the new cursor, in one transaction. A crash re-reads at most that batch; the
  unique (event, recipient, channel) key and the locked cursor make a second copy impossible.
- **deliver**: claim due e-mails with a lease (``FOR UPDATE SKIP LOCKED``: two notifiers never
  take the same one), renew the claim right before each send, read the address from the parties
  table, hand the message to the channel, and record the hand-off. A transient refusal is retried
  with exponential backoff; a permanent one, or the last attempt, marks it failed and puts a
  notice in each administrator's inbox.

Exactly once per (event, recipient): the inbox notice is the row itself. An e-mail is sent only by
the holder of a live claim, and marked sent right after the server took it; only a crash in that
one round trip (after the server's "250", before the mark commits) sends it again after the
lease, with the same Message-ID, so the receiver can tell.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg
import structlog

from api.access import Place, covers, within
from notifier.mail import MailChannel, MailNotTaken, build_message
from notifier.table import EMAIL_FAILED, NoticeRow, Recipients, row_for
from notifier.templates import Words, render
from schemas.api import Jurisdiction, JurisdictionKind
from schemas.council import CouncilRoster
from schemas.log import RecordedEvent
from schemas.roles import OFFICER_OF_LEVEL, Role
from schemas.rulebook import Level
from store.events import EventStore
from store.notices import NewNotice, Notice, NoticeStore

log = structlog.get_logger(__name__)

CHANNELS = ("inbox", "email")


@dataclass(frozen=True)
class NotifierConfig:
    """How the notifier runs (from settings.py; tests pass their own)."""

    name: str = "notifier"
    sender: str = "ocop@localhost"
    language: str = "vi"
    batch: int = 200
    mail_batch: int = 20
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 6
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(hours=6)
    poll_seconds: float = 1.0


@dataclass(frozen=True)
class Journey:
    """What a notice needs to know of a journey: its producer and its place (from its first event)."""

    journey_id: str
    producer_id: str
    product_name: str
    place: Place


async def journey_facts(notices: NoticeStore, journey_id: str) -> Journey | None:
    opening = await notices.opening_event("journey", journey_id)
    if opening is None or opening["type"] not in {"idea_registered", "certified_imported"}:
        return None
    data = opening["data"]
    return Journey(
        journey_id=journey_id,
        producer_id=data["producer_id"],
        product_name=data["product_name"],
        place=Place(data["province_code"], data["commune_code"], data.get("district")),
    )


class Notifier:
    """Turns the log's events into notices and sends the e-mails; see the module's docstring."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        mail: MailChannel | None,
        config: NotifierConfig | None = None,
        *,
        owner: str | None = None,
    ) -> None:
        self.events = EventStore(pool)
        self.notices = NoticeStore(pool)
        self.mail = mail
        self.config = config or NotifierConfig()
        # Who holds a claim: unique per process run, so a restarted notifier waits out its
        # predecessor's leases like anyone else's.
        self.owner = owner or f"{self.config.name}:{uuid.uuid4()}"

    # -- follow -------------------------------------------------------------------------------

    async def follow_once(self) -> int:
        """Turn one batch of the feed into notices; the number of events read (0: caught up)."""
        after = await self.notices.cursor(self.config.name)
        events = await self.events.read_all(after, limit=self.config.batch)
        if not events:
            return 0
        new: list[NewNotice] = []
        for event in events:
            row = row_for(event.stream.type, event.type, event.data)
            if row is None:
                continue
            channels = CHANNELS if self.mail is not None else ("inbox",)
            for recipient in await self.recipients(row, event):
                new.extend(
                    NewNotice(event.event_id, event.position, recipient, channel, row.name)
                    for channel in channels
                )
        written = await self.notices.write_batch(self.config.name, after, events[-1].position, new)
        if written:
            log.info("notices written", upto=events[-1].position, notices=len(new))
        return len(events)

    async def recipients(self, row: NoticeRow, event: RecordedEvent) -> list[str]:
        """The actor ids a row tells about this event, each once, in a stable order."""
        journeys: list[Journey] = []
        if event.stream.type == "journey":
            found = await journey_facts(self.notices, event.stream.id)
            journeys = [found] if found is not None else []
        elif event.type == "results_published":
            for result in event.data.get("results", []):
                found = await journey_facts(self.notices, result["journey_id"])
                if found is not None:
                    journeys.append(found)
        council: Jurisdiction | None = None
        if event.stream.type == "round" and Recipients.RESPONSIBLE in row.recipients:
            council = await self._council_of_round(event.stream.id)
        chosen: list[str] = []
        for who in row.recipients:
            match who:
                case Recipients.PRODUCER | Recipients.RESULT_PRODUCERS:
                    chosen.extend(journey.producer_id for journey in journeys)
                case Recipients.COMMUNE_OFFICERS | Recipients.RESULT_COMMUNES:
                    chosen.extend(await self._covering(Role.COMMUNE_OFFICER, journeys))
                case Recipients.PROVINCIAL_OFFICERS:
                    chosen.extend(await self._covering(Role.PROVINCIAL_OFFICER, journeys))
                case Recipients.VOTING_MEMBERS:
                    roster = CouncilRoster.model_validate(event.data["council"])
                    chosen.extend(m for m in roster.voting_member_ids if m not in roster.conflicts)
                case Recipients.LEVEL_AGENCY | Recipients.FORWARDED_AGENCY:
                    field = "level" if who == Recipients.LEVEL_AGENCY else "forward_to"
                    level = str(event.data.get(field, ""))
                    if level in {item.value for item in Level}:
                        chosen.extend(await self._covering(OFFICER_OF_LEVEL[Level(level)], journeys))
                case Recipients.RESPONSIBLE:
                    owed = str(event.data.get("due_from", ""))
                    if owed == Role.PRODUCER.value:
                        chosen.extend(journey.producer_id for journey in journeys)
                    elif owed in {role.value for role in Role} and council is not None:
                        chosen.extend(await self._covering_council(Role(owed), council))
                    elif owed in {role.value for role in Role}:
                        chosen.extend(await self._covering(Role(owed), journeys))
        return list(dict.fromkeys(chosen))

    async def _council_of_round(self, round_id: str) -> Jurisdiction | None:
        """The jurisdiction of the council whose round this is (its opening event's roster)."""
        opening = await self.notices.opening_event("round", round_id)
        if opening is None or not isinstance(opening["data"].get("council"), dict):
            return None
        council = opening["data"]["council"]
        if council.get("level") == Level.CENTRAL.value:
            return Jurisdiction(kind=JurisdictionKind.NATIONAL, value="VN")
        kind = (
            JurisdictionKind.DISTRICT
            if council.get("level") == Level.DISTRICT.value
            else JurisdictionKind.PROVINCE
        )
        return Jurisdiction(kind=kind, value=str(council.get("jurisdiction", "")))

    async def _covering_council(self, role: Role, council: Jurisdiction) -> list[str]:
        """Active actors of ``role`` whose jurisdiction holds the whole of the council's."""
        actors = await self.notices.actors_in_role(role.value)
        return [
            actor.actor_id
            for actor in actors
            if within(
                council,
                Jurisdiction(kind=JurisdictionKind(actor.jurisdiction_kind), value=actor.jurisdiction),
            )
        ]

    async def _covering(self, role: Role, journeys: list[Journey]) -> list[str]:
        """Active actors of ``role`` whose jurisdiction covers one of the products."""
        actors = await self.notices.actors_in_role(role.value)
        return [
            actor.actor_id
            for actor in actors
            if any(
                covers(
                    Jurisdiction(kind=JurisdictionKind(actor.jurisdiction_kind), value=actor.jurisdiction),
                    j.place,
                )
                for j in journeys
            )
        ]

    # -- deliver ------------------------------------------------------------------------------

    async def deliver_once(self) -> int:
        """Claim and send one batch of due e-mails; the number claimed (0: none due)."""
        if self.mail is None:
            return 0
        claimed = await self.notices.claim_email(self.owner, self.config.lease, self.config.mail_batch)
        for notice in claimed:
            await self._deliver(notice)
        return len(claimed)

    async def _deliver(self, notice: Notice) -> None:
        assert self.mail is not None
        # The address is read now, from the parties table, and kept nowhere else; the language is
        # the person's own choice, else the engine's.
        address, chosen = await self.notices.contact_of(notice.recipient)
        if address is None:
            await self.notices.mark_without_address(notice.notice_id, self.owner)
            log.info("notice without address", notice_id=str(notice.notice_id), kind=notice.kind)
            return
        language = chosen or self.config.language
        words = await self.words(notice, language)
        if words is None:
            await self.notices.mark_without_address(notice.notice_id, self.owner)
            return
        message = build_message(notice.notice_id, self.config.sender, address, words, language)
        if not await self.notices.begin_attempt(notice.notice_id, self.owner, self.config.lease):
            log.info("notice claim lost", notice_id=str(notice.notice_id))
            return
        try:
            await self.mail.send(message)
        except MailNotTaken as refusal:
            await self._refused(notice, refusal)
            return
        await self.notices.mark_sent(notice.notice_id, self.owner)
        log.info("notice handed to the mail channel", notice_id=str(notice.notice_id), kind=notice.kind)

    async def _refused(self, notice: Notice, refusal: MailNotTaken) -> None:
        attempts = notice.attempts + 1
        if refusal.permanent or attempts >= self.config.max_attempts:
            told = await self.notices.mark_failed(notice, self.owner, refusal.reason)
            log.warning(
                "notice e-mail failed",
                notice_id=str(notice.notice_id),
                reason=refusal.reason,
                attempts=attempts,
                administrators_told=len(told),
            )
            return
        delay = min(self.config.retry_base * 2 ** (attempts - 1), self.config.retry_cap)
        await self.notices.retry_later(notice.notice_id, self.owner, delay, refusal.reason)
        log.info(
            "notice e-mail deferred",
            notice_id=str(notice.notice_id),
            reason=refusal.reason,
            attempts=attempts,
        )

    # -- words --------------------------------------------------------------------------------

    async def words(self, notice: Notice, lang: str) -> Words | None:
        """The notice's subject and body in ``lang``, drawn from its event now."""
        return await notice_words(self.notices, notice, lang)

    # -- run ----------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Follow and deliver until ``stop`` is set."""
        while not stop.is_set():
            busy = 0
            try:
                busy += await self.follow_once()
                busy += await self.deliver_once()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("notifier pass failed", error=type(exc).__name__)
            if busy == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.config.poll_seconds)


async def notice_words(notices: NoticeStore, notice: Notice, lang: str) -> Words | None:
    """A notice's words in ``lang`` (the inbox and the e-mail draw them the same way)."""
    if notice.about_notice is not None:
        failed = await notices.get(notice.about_notice)
        if failed is None:
            return None
        facts: Mapping[str, Any] = {
            "recipient": failed.recipient,
            "failed_kind": failed.kind,
            "error": failed.last_error or "—",
        }
        return render(EMAIL_FAILED, lang, {}, facts)
    if notice.event_id is None:
        return None
    event = await notices.event_of(notice.event_id)
    if event is None:
        return None
    row = row_for(event["stream_type"], event["type"], event["data"])
    if row is None:
        return None
    facts = {"journey": event["stream_id"], "product": "—", "round": event["data"].get("round_id", "—")}
    if event["stream_type"] == "journey":
        journey = await journey_facts(notices, event["stream_id"])
        if journey is not None:
            facts["product"] = journey.product_name
    elif event["stream_type"] == "round":
        opening = await notices.opening_event("round", event["stream_id"])
        facts["round"] = opening["data"].get("name", event["stream_id"]) if opening else event["stream_id"]
    return render(row.template, lang, event["data"], facts)

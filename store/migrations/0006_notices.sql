-- Notices (thông báo) that reach people: the notifier follows the gap-free feed with a cursor of
-- its own and turns events into one notice per (event, recipient, channel). No personal data here:
-- a recipient is an actor id, and an e-mail address is read from the parties table at send time.

-- How far each follower has turned the feed into notices. The cursor moves in the transaction
-- that writes the notices of the events up to it, so a crash re-reads at most one batch, and
-- the unique key below makes that re-read write nothing twice.
CREATE TABLE notifier_cursors (
    name       text PRIMARY KEY,
    position   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The party (parties table) whose address an actor's notices go to: the link, never the address.
CREATE TABLE actor_parties (
    actor_id text PRIMARY KEY REFERENCES actors (actor_id),
    party_id uuid NOT NULL REFERENCES parties (party_id)
);

-- One notice for one recipient on one channel. ``kind`` names the row of the notifier's table
-- (notifier/table.py) that made it; the words are drawn from the event when shown or sent.
-- An inbox notice is delivered when written; an e-mail is claimed by one sender at a time
-- (lease_owner, lease_until: a sender that dies leaves its claim to expire), retried with backoff
-- (next_attempt_at), and ends sent, failed (reported to the administrators) or without_address.
-- A notice about an e-mail that failed (to the administrators) names that notice instead of an event.
CREATE TABLE notices (
    notice_id       uuid PRIMARY KEY,
    event_id        uuid REFERENCES events (event_id),
    about_notice    uuid REFERENCES notices (notice_id),
    position        bigint NOT NULL,
    recipient       text NOT NULL,
    channel         text NOT NULL CHECK (channel IN ('inbox', 'email')),
    kind            text NOT NULL,
    status          text NOT NULL
        CHECK (status IN ('delivered', 'pending', 'sent', 'failed', 'without_address')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_owner     text,
    lease_until     timestamptz,
    -- Why the last attempt failed, as an SMTP reply code or an error class (never the server's
    -- text, which may quote the address).
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    handed_at       timestamptz,
    read_at         timestamptz,
    CHECK ((event_id IS NULL) <> (about_notice IS NULL)),
    UNIQUE (event_id, recipient, channel),
    UNIQUE (about_notice, recipient, channel)
);

CREATE INDEX notices_inbox ON notices (recipient, position DESC) WHERE channel = 'inbox';
CREATE INDEX notices_unread ON notices (recipient) WHERE channel = 'inbox' AND read_at IS NULL;
CREATE INDEX notices_due ON notices (next_attempt_at) WHERE channel = 'email' AND status = 'pending';

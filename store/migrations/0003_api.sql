-- The HTTP API's actors (who may call it, in which role and jurisdiction) and its request log
-- (what each Idempotency-Key was used for, and the response it got).

-- A bearer token is shown once, when the actor is created; only its SHA-256 is kept.
CREATE TABLE actors (
    actor_id          text PRIMARY KEY,
    role              text NOT NULL,
    jurisdiction_kind text NOT NULL
        CHECK (jurisdiction_kind IN ('national', 'province', 'district', 'commune')),
    jurisdiction      text NOT NULL,
    token_hash        text NOT NULL UNIQUE,
    created_by        text,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per Idempotency-Key (the key is also the Temporal update id and the events' idempotency
-- key, which are unique across the engine, so the key is unique here too). A row without a status
-- is a request in progress; the response is kept byte for byte so that a retry gets the same one.
CREATE TABLE api_requests (
    idempotency_key  uuid PRIMARY KEY,
    actor_id         text NOT NULL,
    method           text NOT NULL,
    path             text NOT NULL,
    body_hash        text NOT NULL,
    status           integer,
    response_body    bytea,
    response_headers jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);

-- Which journeys seat a council member (for their reads): enrolment and carry-over events carry
-- the council's roster.
CREATE INDEX events_enrolment_seats ON events USING gin (data jsonb_path_ops)
    WHERE type IN ('enrolled_in_round', 'carried_over');

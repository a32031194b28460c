-- The decision log: hash-chained streams of events with a global position, the stream heads,
-- read models written with the events, and the personal data of parties kept apart from events.

-- Stream ids compare byte-wise (COLLATE "C") so that verify can merge the heads and the events
-- in the same order Python sorts strings, whatever the database's locale.
CREATE TABLE streams (
    stream_type text COLLATE "C" NOT NULL,
    stream_id   text COLLATE "C" NOT NULL,
    version     integer NOT NULL,
    last_hash   text NOT NULL,
    updated_at  timestamptz,
    PRIMARY KEY (stream_type, stream_id)
);

CREATE TABLE events (
    -- CACHE 1: every drawn position is visible in the sequence at once, which the feed's horizon
    -- (feed_horizon below) relies on. A session-cached block of values would break it.
    position        bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    stream_type     text COLLATE "C" NOT NULL,
    stream_id       text COLLATE "C" NOT NULL,
    version         integer NOT NULL,
    type            text NOT NULL,
    data            jsonb NOT NULL,
    metadata        jsonb NOT NULL,
    idempotency_key text NOT NULL,
    batch_index     smallint NOT NULL,
    recorded_at     timestamptz NOT NULL,
    prev_hash       text NOT NULL,
    hash            text NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (stream_type, stream_id, version),
    CONSTRAINT events_idempotency_key_key UNIQUE (idempotency_key, batch_index)
);

-- read_stream(as_of=...) walks one stream's events by time.
CREATE INDEX events_stream_recorded_at ON events (stream_type, stream_id, recorded_at);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the decision log is append-only: % on events is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- The highest position that is settled (committed or rolled back for good). Appenders hold the
-- feed lock in shared mode from before they draw a position until they finish; taking it here
-- in exclusive mode therefore waits until no appender is between the two, and every position
-- drawn so far (the sequence's last value) belongs to a finished transaction. Call it as a
-- statement of its own: the lock is released when that statement's transaction ends.
CREATE FUNCTION feed_horizon(lock_key bigint, timeout_ms integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('lock_timeout', timeout_ms || 'ms', true);
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN coalesce(pg_sequence_last_value('events_position_seq'::regclass), 0);
END
$$;

CREATE TABLE read_models (
    kind       text NOT NULL,
    id         text NOT NULL,
    version    integer NOT NULL,
    state      jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE INDEX read_models_state ON read_models USING gin (state jsonb_path_ops);

-- Personal data of producers and other parties. Events refer to a party by id only, so erasing
-- these columns on request leaves every hash chain intact.
CREATE TABLE parties (
    party_id     uuid PRIMARY KEY,
    kind         text NOT NULL,
    display_name text,
    phone        text,
    address      text,
    email        text,
    created_at   timestamptz NOT NULL,
    erased_at    timestamptz
);

-- append_events: one append in one statement (one round trip, its own implicit transaction).
-- The caller sends the canonical JSON text of each event's content, which does not depend on the
-- previous hash; the chain is linked here, under the stream head's row lock, with the formula
-- store.canonical.event_hash implements: hex sha256(prev_hash || '\n' || content) over UTF-8.
CREATE FUNCTION append_events(
    p_stream_type text,
    p_stream_id text,
    p_expected integer,
    p_idempotency_key text,
    p_recorded_at timestamptz,
    p_event_ids uuid[],
    p_types text[],
    p_data text[],
    p_metadata text[],
    p_contents text[],
    p_snapshot_kind text,
    p_snapshot_id text,
    p_snapshot_state text,
    p_feed_lock bigint
) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head_version integer;
    prev text;
    n integer := cardinality(p_event_ids);
    prevs text[] := '{}';
    hashes text[] := '{}';
    positions bigint[];
BEGIN
    -- Shared feed lock first, before any position is drawn; held until the transaction ends
    -- (see feed_horizon, and EventStore.read_all for why the feed needs it).
    PERFORM pg_advisory_xact_lock_shared(p_feed_lock);
    -- Creates or locks the stream head: concurrent appenders to one stream queue here.
    INSERT INTO streams (stream_type, stream_id, version, last_hash)
    VALUES (p_stream_type, p_stream_id, 0, repeat('0', 64))
    ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = streams.version
    RETURNING version, last_hash INTO head_version, prev;
    IF head_version <> p_expected THEN
        -- An error, not a return: it rolls back the head row a new stream may have just got.
        RAISE EXCEPTION 'stream %:% is at version %, not the expected %',
            p_stream_type, p_stream_id, head_version, p_expected
            USING ERRCODE = 'OC409', DETAIL = head_version::text;
    END IF;
    FOR i IN 1..n LOOP
        prevs := prevs || prev;
        prev := encode(sha256(convert_to(prev || E'\n' || p_contents[i], 'UTF8')), 'hex');
        hashes := hashes || prev;
    END LOOP;
    WITH inserted AS (
        INSERT INTO events (event_id, stream_type, stream_id, version, type, data, metadata,
                            idempotency_key, batch_index, recorded_at, prev_hash, hash)
        SELECT e.event_id, p_stream_type, p_stream_id, p_expected + e.ord, e.type, e.data::jsonb,
               e.metadata::jsonb, p_idempotency_key, e.ord - 1, p_recorded_at, e.prev_hash, e.hash
        FROM unnest(p_event_ids, p_types, p_data, p_metadata, prevs, hashes)
             WITH ORDINALITY AS e(event_id, type, data, metadata, prev_hash, hash, ord)
        ORDER BY e.ord
        RETURNING position, batch_index
    )
    SELECT array_agg(position ORDER BY batch_index) INTO positions FROM inserted;
    UPDATE streams SET version = p_expected + n, last_hash = prev, updated_at = p_recorded_at
    WHERE stream_type = p_stream_type AND stream_id = p_stream_id;
    IF p_snapshot_kind IS NOT NULL THEN
        INSERT INTO read_models (kind, id, version, state, updated_at)
        VALUES (p_snapshot_kind, p_snapshot_id, p_expected + n, p_snapshot_state::jsonb, p_recorded_at)
        ON CONFLICT (kind, id) DO UPDATE
            SET version = EXCLUDED.version, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at;
    END IF;
    RETURN positions;
END
$$;

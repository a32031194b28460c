-- The public registry (tra cứu công khai sản phẩm OCOP): a read model made for public reads, one row
-- per certificate a product's journey has held. It is a fold of the journey's read model, kept by a
-- trigger on read_models: every write of a journey's read model (append_events, in the transaction
-- that records the events; `ocop rebuild`) rewrites that journey's rows in the same transaction, so
-- the registry never shows what the log does not say. Nothing personal is here: the producer is an
-- organisation's name (NULL until producers are linked), never a person's.

CREATE TABLE registry_products (
    journey_id         text COLLATE "C" NOT NULL,
    certificate_number text NOT NULL,
    -- The journey's latest certificate (its other rows are the certificates it superseded).
    is_current         boolean NOT NULL,
    product_name       text NOT NULL,
    product_group      text NOT NULL,
    product_set        text,
    province_code      integer NOT NULL,
    commune_code       integer NOT NULL,
    product_code       text,
    producer_id        text NOT NULL,
    producer_name      text,
    stars              smallint NOT NULL,
    level              text NOT NULL,
    rulebook           text NOT NULL,
    decision_number    text NOT NULL,
    decision_date      date NOT NULL,
    valid_until        date NOT NULL,
    extended_until     date,
    status             text NOT NULL CHECK (status IN ('in_force', 'expired', 'superseded', 'revoked')),
    -- in force: since the decision; superseded: the day of the decision that replaced it; expired:
    -- the first day it no longer held; revoked: the day the revocation was recorded (Vietnam time).
    status_on          date NOT NULL,
    year               integer NOT NULL,
    PRIMARY KEY (journey_id, certificate_number)
);

CREATE INDEX registry_products_certificate ON registry_products (certificate_number);
CREATE INDEX registry_products_code ON registry_products (product_code) WHERE is_current;
-- Searches list newest decisions first, within a province or nationally.
CREATE INDEX registry_products_newest ON registry_products (decision_date DESC, journey_id) WHERE is_current;
CREATE INDEX registry_products_province ON registry_products (province_code, decision_date DESC)
    WHERE is_current;
CREATE INDEX registry_products_commune ON registry_products (commune_code) WHERE is_current;

-- The registry rows of one journey's read model (``state``, JourneyState as JSON): its past
-- certificates (each superseded by the next) and its certificate, with the status that certificate
-- has. The only definition of the registry: the trigger writes it, `ocop rebuild` compares with it.
CREATE FUNCTION registry_rows(p_journey_id text, p_state jsonb) RETURNS SETOF registry_products
LANGUAGE plpgsql STABLE AS $$
DECLARE
    certificates jsonb;
    n integer;
    revoked_on date;
BEGIN
    IF jsonb_typeof(p_state -> 'certificate') IS DISTINCT FROM 'object' THEN
        RETURN;
    END IF;
    certificates := coalesce(p_state -> 'past_certificates', '[]'::jsonb) || jsonb_build_array(p_state -> 'certificate');
    n := jsonb_array_length(certificates);
    IF p_state ->> 'status' = 'REVOKED' THEN
        -- The day the revocation was recorded; a read model put without its log (tests of reports)
        -- falls back to the state's last change, which a revocation is (REVOKED is terminal).
        SELECT (e.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date INTO revoked_on
        FROM events e
        WHERE e.stream_type = 'journey' AND e.stream_id = p_journey_id AND e.type = 'revoked'
        ORDER BY e.version DESC LIMIT 1;
        revoked_on := coalesce(revoked_on, ((p_state ->> 'updated_at')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
    END IF;
    RETURN QUERY
    SELECT
        p_journey_id,
        c.cert ->> 'number',
        c.ord = n,
        p_state ->> 'product_name',
        p_state ->> 'product_group',
        p_state ->> 'product_set',
        (p_state ->> 'province_code')::integer,
        (p_state ->> 'commune_code')::integer,
        p_state ->> 'product_code',
        p_state ->> 'producer_id',
        NULL::text,
        (c.cert ->> 'stars')::smallint,
        c.cert ->> 'level',
        c.cert ->> 'rulebook',
        c.cert ->> 'decision_number',
        (c.cert ->> 'decision_date')::date,
        (c.cert ->> 'valid_until')::date,
        CASE WHEN c.ord = n THEN (p_state ->> 'certificate_extended_until')::date END,
        CASE
            WHEN c.ord < n THEN 'superseded'
            WHEN p_state ->> 'status' = 'REVOKED' THEN 'revoked'
            WHEN (p_state ->> 'certificate_expired')::boolean THEN 'expired'
            ELSE 'in_force'
        END,
        CASE
            WHEN c.ord < n THEN (certificates -> c.ord::integer ->> 'decision_date')::date
            WHEN p_state ->> 'status' = 'REVOKED' THEN revoked_on
            WHEN (p_state ->> 'certificate_expired')::boolean THEN
                coalesce((p_state ->> 'certificate_extended_until')::date, (c.cert ->> 'valid_until')::date) + 1
            ELSE (c.cert ->> 'decision_date')::date
        END,
        extract(year FROM (c.cert ->> 'decision_date')::date)::integer
    FROM jsonb_array_elements(certificates) WITH ORDINALITY AS c(cert, ord);
END
$$;

CREATE FUNCTION registry_refresh(p_journey_id text, p_state jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    DELETE FROM registry_products WHERE journey_id = p_journey_id;
    INSERT INTO registry_products SELECT * FROM registry_rows(p_journey_id, p_state);
END
$$;

CREATE FUNCTION registry_follows_journey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM registry_refresh(NEW.id, NEW.state);
    RETURN NULL;
END
$$;

CREATE TRIGGER registry_follows_journeys AFTER INSERT OR UPDATE ON read_models
    FOR EACH ROW WHEN (NEW.kind = 'journey') EXECUTE FUNCTION registry_follows_journey();

-- The journeys recorded before this migration.
SELECT registry_refresh(id, state) FROM read_models WHERE kind = 'journey';

-- Statistics of recognitions (thống kê sản phẩm OCOP được công nhận) read from a table made for the
-- count: one narrow row per recognition a journey holds, instead of unpacking every journey's whole
-- read model (its scorecards included) on every request. Like the public registry (0008) it is a fold
-- of the journey's read model kept by a trigger on read_models, in the transaction that writes the
-- read model, so the statistics never count what the log does not say; `ocop rebuild` compares it with
-- recognition_rows() and rewrites what differs. Nothing personal: the organisation is an id.

CREATE TABLE recognitions_counted (
    journey_id            text COLLATE "C" NOT NULL,
    ord                   integer NOT NULL,  -- the recognition's place in the journey's list, from 1
    province_code         integer NOT NULL,
    commune_code          integer NOT NULL,
    product_set           text,
    product_group         text NOT NULL,
    producer_organisation text,
    level                 text NOT NULL,
    stars                 integer NOT NULL,
    year                  integer NOT NULL,  -- of the decision date
    kind                  text NOT NULL,     -- new, upgrade, re_evaluation
    PRIMARY KEY (journey_id, ord)
);

CREATE INDEX recognitions_counted_province_year ON recognitions_counted (province_code, year);
CREATE INDEX recognitions_counted_year ON recognitions_counted (year);

-- The only definition of the rows: the trigger writes them, `ocop rebuild` compares with them.
CREATE FUNCTION recognition_rows(p_journey_id text, p_state jsonb) RETURNS SETOF recognitions_counted
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_journey_id,
           r.ord::integer,
           (p_state ->> 'province_code')::integer,
           (p_state ->> 'commune_code')::integer,
           p_state ->> 'product_set',
           p_state ->> 'product_group',
           p_state ->> 'producer_organisation',
           r.rec ->> 'level',
           (r.rec ->> 'stars')::integer,
           extract(year FROM (r.rec ->> 'decision_date')::date)::integer,
           r.rec ->> 'kind'
    FROM jsonb_array_elements(
             CASE WHEN jsonb_typeof(p_state -> 'recognitions') = 'array' THEN p_state -> 'recognitions'
                  ELSE '[]'::jsonb END
         ) WITH ORDINALITY AS r(rec, ord)
$$;

-- What the rows are read from: when none of it changed (nearly every event of a journey), the
-- trigger writes nothing.
CREATE FUNCTION recognition_facts(p_state jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_array(p_state -> 'recognitions', p_state -> 'province_code', p_state -> 'commune_code',
                             p_state -> 'product_set', p_state -> 'product_group',
                             p_state -> 'producer_organisation')
$$;

CREATE FUNCTION recognitions_refresh(p_journey_id text, p_state jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    DELETE FROM recognitions_counted WHERE journey_id = p_journey_id;
    INSERT INTO recognitions_counted SELECT * FROM recognition_rows(p_journey_id, p_state);
END
$$;

CREATE FUNCTION recognitions_follow_journey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR recognition_facts(OLD.state) IS DISTINCT FROM recognition_facts(NEW.state) THEN
        PERFORM recognitions_refresh(NEW.id, NEW.state);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER recognitions_follow_journeys AFTER INSERT OR UPDATE ON read_models
    FOR EACH ROW WHEN (NEW.kind = 'journey') EXECUTE FUNCTION recognitions_follow_journey();

-- The journeys recorded before this migration.
SELECT recognitions_refresh(id, state) FROM read_models WHERE kind = 'journey';

-- The public registry names the producer organisation (chủ thể OCOP, migrations/0009_producers.sql):
-- each row keeps the organisation's id (the journey's producer_organisation) and the registry's
-- reads join its name from producers, so a renamed organisation shows its new name at once. The
-- name is an organisation's; the representative's personal data stays in parties, never read here.

ALTER TABLE registry_products ADD COLUMN producer_organisation text;

-- registry_rows of 0008, with the organisation's id as the last column (the table's new one).
CREATE OR REPLACE FUNCTION registry_rows(p_journey_id text, p_state jsonb) RETURNS SETOF registry_products
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
        extract(year FROM (c.cert ->> 'decision_date')::date)::integer,
        p_state ->> 'producer_organisation'
    FROM jsonb_array_elements(certificates) WITH ORDINALITY AS c(cert, ord);
END
$$;


-- Every journey's rows again, with their organisation.
SELECT registry_refresh(id, state) FROM read_models WHERE kind = 'journey';

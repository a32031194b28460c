-- Producers (chủ thể OCOP): the organisations that own products. Their record's changes are
-- events on the producer's stream (ids and codes only); the organisation's name and registration
-- number live here, the representative's personal details and the address in the parties table,
-- which erasure clears without touching any hash chain.

-- What criterion 3.2 scores (a woman, an ethnic-minority or a disabled representative): personal
-- data, so kept with the rest of the party's and erased with it.
ALTER TABLE parties
    ADD COLUMN gender     text CHECK (gender IN ('female', 'male', 'other')),
    ADD COLUMN ethnicity  text,
    ADD COLUMN disability boolean;

CREATE TABLE producers (
    producer_id         text PRIMARY KEY,
    organisation_type   text NOT NULL,
    name                text NOT NULL,
    registration_number text,
    province_code       integer NOT NULL,
    commune_code        integer NOT NULL,
    -- The representative, and the address (a household's is a person's home): erasable.
    party_id            uuid REFERENCES parties (party_id),
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A registration number names one organisation of a province.
CREATE UNIQUE INDEX producers_registration ON producers (province_code, registration_number)
    WHERE registration_number IS NOT NULL;
CREATE INDEX producers_place ON producers (province_code, commune_code, producer_id);

-- The organisation a producer's account acts for: at most one each.
CREATE TABLE producer_accounts (
    actor_id    text PRIMARY KEY REFERENCES actors (actor_id),
    producer_id text NOT NULL REFERENCES producers (producer_id),
    linked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX producer_accounts_producer ON producer_accounts (producer_id);

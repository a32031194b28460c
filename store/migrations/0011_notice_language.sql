-- The language a person reads their notices' e-mails in (vi, en), kept with the link from their
-- actor to their party (contact details); NULL: the notifier's default (OCOP_MAIL_LANGUAGE).
-- A choice, not personal data: it is not cleared when the party is erased.
ALTER TABLE actor_parties
    ADD COLUMN language text CHECK (language IN ('vi', 'en')),
    ADD COLUMN linked_at timestamptz NOT NULL DEFAULT now();

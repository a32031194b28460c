-- Accounts as people use them: actors can be stopped, tokens age, and people sign in to the
-- pages with a user name, a password and (for some roles) a second factor.

-- A token counts its lifetime from when it was issued (created, or last rotated); a deactivated
-- actor's token and page sessions are refused at once.
ALTER TABLE actors
    ADD COLUMN token_issued_at timestamptz,
    ADD COLUMN deactivated_at  timestamptz;
UPDATE actors SET token_issued_at = created_at;
ALTER TABLE actors
    ALTER COLUMN token_issued_at SET NOT NULL,
    ALTER COLUMN token_issued_at SET DEFAULT now();

-- Page sign-in of an actor. A user name may be a person's name: personal data, kept here and
-- never in events or logs (events name the actor by id). The password is kept as an Argon2id
-- hash; the TOTP secret (base32) must stay readable to check codes. totp_last_step refuses a
-- code used once already. failed_attempts counts attempts since the last success or lock-out.
CREATE TABLE accounts (
    actor_id             text PRIMARY KEY REFERENCES actors (actor_id),
    user_name            text NOT NULL,
    password_hash        text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT true,
    totp_secret          text,
    totp_last_step       bigint,
    failed_attempts      integer NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    password_changed_at  timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX accounts_user_name ON accounts (lower(user_name));

-- Signed-in page sessions. The browser's cookie holds a random secret; only its SHA-256 is kept.
-- second_factor: the session's TOTP code was checked.
CREATE TABLE account_sessions (
    session_hash  text PRIMARY KEY,
    actor_id      text NOT NULL REFERENCES actors (actor_id),
    second_factor boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);

CREATE INDEX account_sessions_actor ON account_sessions (actor_id);

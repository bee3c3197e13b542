-- V0003: WebAuthn ceremonies that were completed (or attempted), one row per ceremony under its primary key, so that
-- of several requests racing with one ceremony, on any node, exactly one inserts the row and goes on.
CREATE TABLE webauthn_used_ceremonies (
    ceremony_hash BYTEA PRIMARY KEY,
    used_at BIGINT NOT NULL
);
CREATE INDEX webauthn_used_ceremonies_used_at_idx ON webauthn_used_ceremonies (used_at);

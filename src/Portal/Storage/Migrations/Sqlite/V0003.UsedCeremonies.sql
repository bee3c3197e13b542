-- V0003: WebAuthn ceremonies that were completed (or attempted). The pending ceremony lives in the session, and two
-- requests racing with the same session could both read it before either clears it; a row here, inserted under a
-- primary key, lets exactly one of them go on, on every node sharing the database. Rows are pruned once the
-- ceremony could no longer be used anyway.
CREATE TABLE webauthn_used_ceremonies (
    ceremony_hash BLOB PRIMARY KEY,
    used_at INTEGER NOT NULL
);
CREATE INDEX webauthn_used_ceremonies_used_at_idx ON webauthn_used_ceremonies (used_at);

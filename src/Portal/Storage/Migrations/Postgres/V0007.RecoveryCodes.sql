-- V0007: recovery codes (as Sqlite/V0007).
CREATE TABLE recovery_codes (
    username TEXT NOT NULL,
    code_hash BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT NULL,
    PRIMARY KEY (username, code_hash)
);

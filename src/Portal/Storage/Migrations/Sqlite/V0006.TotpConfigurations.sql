-- V0006: TOTP second factors, one configuration per user (Authelia's totp_configurations, with the secret encrypted
-- by the storage key as every secret here). last_used_step is the time step of the last accepted code: the one
-- conditional UPDATE that raises it is what makes each code single use across nodes.
CREATE TABLE totp_configurations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    issuer TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    digits INTEGER NOT NULL,
    period INTEGER NOT NULL,
    secret BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NULL,
    last_used_step INTEGER NULL
);

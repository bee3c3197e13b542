-- V0007: recovery codes, single-use second factors a user generates while elevated (shown once).
-- code_hash: HMAC-SHA256 over (username key, code) with a key derived from storage.encryption_key (RecoveryCodes/
-- RecoveryCodeHasher): a code is 50 random bits, so a keyed fast hash suffices, and a stolen database alone cannot
-- be used to test guesses. used_at: NULL until used; "use" is a conditional UPDATE, so one code works once on any node.
CREATE TABLE recovery_codes (
    username TEXT NOT NULL,
    code_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    used_at INTEGER NULL,
    PRIMARY KEY (username, code_hash)
);

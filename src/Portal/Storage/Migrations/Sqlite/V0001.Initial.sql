-- V0001: the initial schema, modelled on Authelia's tables.
--
-- Conventions (why they differ from Authelia's DDL):
-- * Times are INTEGER Unix milliseconds UTC. They compare and sort numerically, carry no time-zone ambiguity, and
--   need no text parsing in ADO.NET code.
-- * Booleans are INTEGER 0/1 (SQLite has no boolean type).
-- * Usernames are stored canonical (trimmed, lower-case): callers pass the users-file key, and the stores
--   normalise again defensively so case/space variants can never create a second row or bucket.
-- * Columns holding secrets are BLOBs of AES-256-GCM ciphertext (nonce || ciphertext || tag), see StorageEncryption.

-- Every authentication attempt, successful or not. Regulation reads this table.
CREATE TABLE authentication_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    successful INTEGER NOT NULL CHECK (successful IN (0, 1)),
    banned INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
    username TEXT NOT NULL,
    auth_type TEXT NOT NULL,
    remote_ip TEXT NOT NULL,
    request_uri TEXT NOT NULL DEFAULT '',
    request_method TEXT NOT NULL DEFAULT ''
);

-- Authelia indexes (time, username, auth_type) and (time, remote_ip, auth_type). Regulation filters on equality of
-- the username/IP and a range of time, so equality-first indexes serve those queries without a scan.
CREATE INDEX authentication_logs_username_time_idx ON authentication_logs (username, time);
CREATE INDEX authentication_logs_remote_ip_time_idx ON authentication_logs (remote_ip, time);

-- Bans, written by regulation or by an admin. expires NULL means permanent.
CREATE TABLE banned_user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    expires INTEGER NULL,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    revoked_at INTEGER NULL,
    username TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NULL
);

CREATE INDEX banned_user_username_idx ON banned_user (username, revoked, expires);

CREATE TABLE banned_ip (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    expires INTEGER NULL,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    revoked_at INTEGER NULL,
    ip TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NULL
);

CREATE INDEX banned_ip_ip_idx ON banned_ip (ip, revoked, expires);

-- Emailed one-time codes for the elevated session. The code itself is encrypted; lookups go by the HMAC signature,
-- which binds the code to the username, the requesting IP and the intent.
CREATE TABLE one_time_code (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    signature TEXT NOT NULL,
    issued INTEGER NOT NULL,
    issued_ip TEXT NOT NULL,
    expires INTEGER NOT NULL,
    username TEXT NOT NULL,
    intent TEXT NOT NULL,
    consumed INTEGER NULL,
    consumed_ip TEXT NULL,
    revoked INTEGER NULL,
    revoked_ip TEXT NULL,
    code BLOB NOT NULL,
    UNIQUE (signature, username)
);

-- The WebAuthn user handle per relying party. Unique both ways: a handle resolves a discoverable-credential login
-- to exactly one user, so two users must never share one.
CREATE TABLE webauthn_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rpid TEXT NOT NULL,
    username TEXT NOT NULL,
    userid TEXT NOT NULL,
    UNIQUE (rpid, username),
    UNIQUE (rpid, userid)
);

CREATE TABLE webauthn_credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NULL,
    rpid TEXT NOT NULL,
    username TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The raw credential ID. Globally unique: one credential can never be registered to two users.
    kid BLOB NOT NULL UNIQUE,
    aaguid TEXT NULL,
    attestation_type TEXT NOT NULL DEFAULT '',
    attestation_format TEXT NOT NULL DEFAULT '',
    attachment TEXT NOT NULL DEFAULT '',
    -- Comma-separated authenticator transports (usb,nfc,ble,internal,hybrid).
    transport TEXT NOT NULL DEFAULT '',
    sign_count INTEGER NOT NULL DEFAULT 0,
    clone_warning INTEGER NOT NULL DEFAULT 0 CHECK (clone_warning IN (0, 1)),
    discoverable INTEGER NOT NULL DEFAULT 0 CHECK (discoverable IN (0, 1)),
    present INTEGER NOT NULL DEFAULT 0 CHECK (present IN (0, 1)),
    verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    backup_eligible INTEGER NOT NULL DEFAULT 0 CHECK (backup_eligible IN (0, 1)),
    backup_state INTEGER NOT NULL DEFAULT 0 CHECK (backup_state IN (0, 1)),
    public_key BLOB NOT NULL,
    attestation BLOB NULL
);

-- Display names are unique per user and relying party, ignoring case. NOCASE folds ASCII only, so this index is a
-- backstop: the credential store must also compare with a full Unicode case-insensitive comparison.
CREATE UNIQUE INDEX webauthn_credentials_description_idx
    ON webauthn_credentials (rpid, username, description COLLATE NOCASE);
CREATE INDEX webauthn_credentials_user_idx ON webauthn_credentials (rpid, username);

CREATE TABLE user_preferences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    second_factor_method TEXT NULL
);

-- Check values that prove the configured encryption key is the one the database was created with.
CREATE TABLE encryption (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    value BLOB NOT NULL
);

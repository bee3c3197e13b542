-- V0004: "Not now" answers to the passkey enrollment offer, per user, until the offer may come back.
CREATE TABLE passkey_enrollment_snooze (
    username TEXT PRIMARY KEY,
    until BIGINT NOT NULL
);

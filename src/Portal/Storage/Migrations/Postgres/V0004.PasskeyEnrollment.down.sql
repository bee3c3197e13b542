-- Undoes V0004: the "Not now" answers are forgotten, so the offer comes back.
DROP TABLE passkey_enrollment_snooze;

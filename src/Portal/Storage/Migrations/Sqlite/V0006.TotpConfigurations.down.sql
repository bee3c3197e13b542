-- Undoes V0006: every TOTP second factor is forgotten.
DROP TABLE totp_configurations;

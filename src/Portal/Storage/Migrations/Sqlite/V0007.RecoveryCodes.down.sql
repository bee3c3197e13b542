-- Undoes V0007: every recovery code is forgotten (users generate new ones).
DROP TABLE recovery_codes;

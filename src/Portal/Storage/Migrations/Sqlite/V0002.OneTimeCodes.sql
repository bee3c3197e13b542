-- V0002: one-time codes for the elevated session. The one_time_code table itself came with V0001; this adds what
-- the elevation endpoints need from it.
--
-- * Lookups by (signature, username) use the UNIQUE constraint's index, and revocation by public_id its own.
-- * Codes are pruned a while after they expire (the ciphertext is useless by then, and the table must not grow
--   without bound while an attacker requests codes); this index keeps that DELETE from scanning the table.
CREATE INDEX one_time_code_expires_idx ON one_time_code (expires);

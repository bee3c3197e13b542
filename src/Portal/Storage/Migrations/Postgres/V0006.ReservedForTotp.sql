-- V0006: a placeholder that keeps the versions without gaps on the recovery-codes branch. The TOTP work takes this
-- number (its V0006): when both are merged, delete this file and its .down.sql and keep TOTP's. It changes nothing.
SELECT 1;

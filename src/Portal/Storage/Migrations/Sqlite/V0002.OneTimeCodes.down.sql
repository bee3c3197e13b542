-- Undoes V0002.
DROP INDEX one_time_code_expires_idx;

-- V0002: pruning of expired one-time codes without a scan (as Sqlite/V0002).
CREATE INDEX one_time_code_expires_idx ON one_time_code (expires);

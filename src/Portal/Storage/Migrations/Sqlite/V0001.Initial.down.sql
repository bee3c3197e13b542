-- Undoes V0001: every table of the initial schema and all it holds (credentials, codes, the authentication log, the
-- encryption key check). Only the migrations table stays, empty.
DROP TABLE encryption;
DROP TABLE user_preferences;
DROP TABLE webauthn_credentials;
DROP TABLE webauthn_users;
DROP TABLE one_time_code;
DROP TABLE banned_ip;
DROP TABLE banned_user;
DROP TABLE authentication_logs;

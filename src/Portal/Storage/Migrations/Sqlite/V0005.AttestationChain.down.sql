-- Undoes V0005: credentials keep working, but what their attestation showed (chain, maker, trusted) is forgotten.
ALTER TABLE webauthn_credentials DROP COLUMN attestation_trusted;
ALTER TABLE webauthn_credentials DROP COLUMN authenticator;
ALTER TABLE webauthn_credentials DROP COLUMN attestation_chain;

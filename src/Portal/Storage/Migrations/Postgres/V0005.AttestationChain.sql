-- V0005: what a verified attestation showed, kept with the credential. Rows registered before it keep working: an
-- empty chain, no authenticator name and "not trusted" are exactly what an unverified attestation gives.
-- attestation_chain: the statement's x5c certificates (leaf first), base64 DER, comma-separated.
ALTER TABLE webauthn_credentials ADD COLUMN attestation_chain TEXT NOT NULL DEFAULT '';
-- authenticator: the maker/model from FIDO metadata, else the attestation certificate's organisation.
ALTER TABLE webauthn_credentials ADD COLUMN authenticator TEXT NOT NULL DEFAULT '';
-- attestation_trusted: the chain verified to a root listed in the authenticator's FIDO metadata entry.
ALTER TABLE webauthn_credentials ADD COLUMN attestation_trusted BOOLEAN NOT NULL DEFAULT FALSE;

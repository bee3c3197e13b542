-- Undoes V0003. Ceremonies still pending in sessions could be completed once more: run it with the portal stopped.
DROP TABLE webauthn_used_ceremonies;

-- Undoes V0006, the placeholder: nothing to undo.
SELECT 1;

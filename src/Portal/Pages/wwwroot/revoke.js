// Revoke page for the link in the one-time-code email: one click sends DELETE /api/user/session/elevation/{id}.
const id = new URLSearchParams(location.search).get('id') || '';
const status = document.getElementById('status');
const button = document.getElementById('revoke');

button.addEventListener('click', async () => {
  button.disabled = true;
  const response = await fetch(`../api/user/session/elevation/${encodeURIComponent(id)}`, { method: 'DELETE', credentials: 'same-origin' });
  let json = null;
  try { json = await response.json(); } catch { /* empty body */ }
  status.textContent = response.ok ? 'The code was revoked. It can no longer be used.' : (json?.message || 'The code could not be revoked.');
  status.className = response.ok ? '' : 'error';
});

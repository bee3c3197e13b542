// Forbidden: the signed-in user may not open the target, and no further factor would change that.
import { $, api, say, params, withTarget, signedInState } from './common.js';

async function start() {
  const state = await signedInState();
  if (!state) return;
  let host = '';
  try { host = new URL(params.get('rd') || '').host; } catch { /* no target: say "this app" */ }
  $('target').textContent = host || 'this app';
  $('switch').focus();
}

$('switch').addEventListener('click', async () => {
  await api('POST', 'api/logout', {});
  location.assign(withTarget('./'));
});

start().catch(() => say('The portal could not be reached.', true));

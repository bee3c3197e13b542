// Forbidden: the signed-in user may not open the target, and no further factor would change that.
import { $, api, say, params, withTarget } from './common.js';

async function start() {
  const { status, json } = await api('GET', 'api/state');
  if (status !== 200 || json.data.authentication_level < 1) {
    location.replace(withTarget('./'));
    return;
  }
  $('who').textContent = json.data.username;
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

// Sign-in page: password first factor against /api/firstfactor. No inline script (the CSP forbids it).
import { $, api, say, params, withTarget } from './common.js';

const rd = params.get('rd') || '';
const rm = params.get('rm') || '';

async function showState() {
  const { status, json } = await api('GET', 'api/state');
  if (status !== 200) {
    say(json?.message || 'The portal is unavailable. Try again shortly.', true);
    return;
  }
  const state = json.data;
  if (state.authentication_level > 0) {
    $('login').hidden = true;
    $('signed-in').hidden = false;
    $('who').textContent = state.username;
    if (rd) {
      const check = await api('POST', 'api/checks/safe-redirection', { uri: rd });
      if (check.status === 200 && check.json.data.ok) {
        $('continue').href = rd;
        $('continue').hidden = false;
      }
    }
  } else {
    $('username').focus();
  }
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    say('Enter your username and password.', true);
    return;
  }
  $('submit').disabled = true;
  say('Signing in…');
  try {
    const { status, json } = await api('POST', 'api/firstfactor', {
      username, password, keepMeLoggedIn: $('remember').checked, targetURL: rd || undefined, requestMethod: rm || undefined,
    });
    if (status === 200) {
      if (json?.data?.redirect) {
        location.assign(json.data.redirect);
        return;
      }
      $('password').value = '';
      if (rd) {
        // Signed in, but the target needs more than a password: the second-factor page takes over.
        location.assign(withTarget('second-factor'));
        return;
      }
      say('Signed in.');
      await showState();
    } else if (status === 401) {
      say('Incorrect username or password.', true);
      $('password').select();
    } else {
      say(json?.message || 'Sign-in failed. Try again shortly.', true);
    }
  } catch {
    say('The portal could not be reached. Check your connection.', true);
  } finally {
    $('submit').disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  await api('POST', 'api/logout', {});
  location.reload();
});

showState().catch(() => say('The portal could not be reached.', true));

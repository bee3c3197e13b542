// Settings: the user's WebAuthn credentials (list, add, rename, delete), their one-time password app (add with a
// QR code and a first code, remove), and sessions (list, end one, end all others). Changes need an elevated session, unlocked
// by a one-time code the portal emails; the portal answers 403 {elevation|second_factor|first_factor} until then.
import { $, api, say, params, withTarget, webAuthnSupported, createCredential, getAssertion, webAuthnErrorMessage, signedInState, isSafeTarget } from './common.js';

let pendingAction = null;

// Arrived from the sign-in page's passkey offer: create a discoverable credential, then go on to where the user
// was going (a portal page, or a target the portal confirms is safe).
const enrolling = params.get('enroll') === 'passkey';
const next = params.get('next') || '';

async function continueAfterEnrollment() {
  if (/^second-factor(\?|$)/.test(next)) {
    location.assign(next);
    return;
  }
  if (next) {
    if (await isSafeTarget(next)) {
      location.assign(next);
    }
  }
}

async function start() {
  const state = await signedInState();
  if (!state) return;
  const rd = params.get('rd');
  if (rd) {
    if (await isSafeTarget(rd)) {
      $('back').href = withTarget('second-factor');
      $('back').hidden = false;
    }
  }
  if (!webAuthnSupported()) {
    $('add').disabled = true;
    say('This browser cannot register security keys or passkeys. Try another browser.', true);
  }
  if (enrolling) {
    $('name').value = 'Passkey on this device';
    $('add').textContent = 'Create a passkey';
    $('add').focus();
  }
  await refresh();
  await refreshTotp();
  await refreshRecoveryCodes();
  await refreshSessions();
}

async function refreshRecoveryCodes() {
  const { status, json } = await api('GET', 'api/secondfactor/recovery-codes');
  if (status !== 200) return;
  const left = json.data.remaining;
  $('recovery-count').textContent = left > 0
    ? `You have ${left} unused recovery code${left === 1 ? '' : 's'}. Each signs you in once in place of a security key.`
    : 'You have no recovery codes. If you lose your security keys, a recovery code signs you in once in place of a key.';
}

async function generateRecoveryCodes() {
  const result = await api('POST', 'api/secondfactor/recovery-codes');
  if (result.status === 200) {
    const list = $('recovery-codes');
    list.replaceChildren(...result.json.data.codes.map((code) => {
      const item = document.createElement('li');
      const text = document.createElement('code');
      text.textContent = code;
      item.append(text);
      return item;
    }));
    $('recovery-new').hidden = false;
    say('New recovery codes were made. Save them now.');
    await refreshRecoveryCodes();
  } else if (result.status !== 403 || !result.json?.data) {
    say(result.json?.message || 'The recovery codes could not be made.', true);
  }
  return result;
}

$('recovery-generate').addEventListener('click', async () => {
  $('recovery-generate').disabled = true;
  try {
    await guarded(generateRecoveryCodes);
  } finally {
    $('recovery-generate').disabled = false;
  }
});

const dateText = (value) => (value ? new Date(value).toLocaleString() : 'never');

async function refresh() {
  const { status, json } = await api('GET', 'api/secondfactor/webauthn/credentials');
  const list = $('credentials');
  list.replaceChildren();
  if (status !== 200) {
    say(json?.message || 'Your keys could not be loaded.', true);
    return;
  }
  const credentials = json.data || [];
  $('empty').hidden = credentials.length > 0;
  for (const c of credentials) {
    const item = document.createElement('li');
    item.dataset.id = c.id;
    const title = document.createElement('strong');
    title.textContent = c.description;
    const details = document.createElement('span');
    details.className = 'details';
    const kind = c.discoverable ? 'Passkey' : 'Security key';
    const synced = c.backup_state ? ', synced' : '';
    // Maker and attestation: the metadata name when the attestation verified to its root, else what was claimed.
    const maker = c.authenticator ? ` · ${c.authenticator}${c.attestation_trusted ? ' (attested)' : ''}` : '';
    details.textContent = `${kind}${synced}${maker} · added ${dateText(c.created_at)} · last used ${dateText(c.last_used_at)}`;
    const rename = document.createElement('button');
    rename.type = 'button';
    rename.className = 'secondary';
    rename.textContent = 'Rename';
    rename.setAttribute('aria-label', `Rename ${c.description}`);
    rename.addEventListener('click', () => {
      const name = prompt('New name', c.description);
      if (name !== null) guarded(() => renameCredential(c.id, name.trim()));
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary danger';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${c.description}`);
    remove.addEventListener('click', () => {
      if (confirm(`Delete "${c.description}"? It will no longer sign you in.`)) guarded(() => deleteCredential(c.id, c.description));
    });
    item.append(title, details, rename, remove);
    list.append(item);
  }
}

// The session's AMR values (RFC 8176) in words; the ones that only qualify another (kba, user, pin, mfa) are left out.
const methodNames = { pwd: 'password', hwk: 'security key', swk: 'passkey', otp: 'one-time code' };

// A session is named by a handle (a hash of its id): the page never sees another session's cookie.
async function refreshSessions() {
  const { status, json } = await api('GET', 'api/user/sessions');
  const list = $('sessions');
  list.replaceChildren();
  if (status !== 200) {
    say(json?.message || 'Your sessions could not be loaded.', true);
    return;
  }
  const sessions = json.data || [];
  $('end-others').hidden = !sessions.some((s) => !s.current);
  for (const s of sessions) {
    const item = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = s.current ? 'This browser' : (s.user_agent || 'Unknown browser');
    const details = document.createElement('span');
    details.className = 'details';
    const from = s.ip ? ` from ${s.ip}` : '';
    const how = [...new Set(s.methods.map((m) => methodNames[m]).filter(Boolean))].join(' + ');
    details.textContent = `Signed in ${dateText(s.signed_in_at)}${from}${how ? ` with ${how}` : ''} · last active ${dateText(s.last_activity)}`;
    item.append(title, details);
    if (!s.current) {
      const end = document.createElement('button');
      end.type = 'button';
      end.className = 'secondary danger';
      end.textContent = 'Sign out';
      end.setAttribute('aria-label', `Sign out ${title.textContent}, signed in ${dateText(s.signed_in_at)}`);
      end.addEventListener('click', () => endSession(s.handle));
      item.append(end);
    }
    list.append(item);
  }
}

async function endSession(handle) {
  const result = await api('DELETE', `api/user/sessions/${encodeURIComponent(handle)}`);
  say(result.status === 200 ? 'That session is signed out.' : (result.json?.message || 'That session could not be signed out.'), result.status !== 200);
  await refreshSessions();
}

$('end-others').addEventListener('click', async () => {
  if (!confirm('Sign out of every other browser and device?')) return;
  const result = await api('POST', 'api/user/sessions/end-others', {});
  say(result.status === 200 ? `Signed out everywhere else (${result.json.data.ended}).` : (result.json?.message || 'Could not sign out elsewhere.'), result.status !== 200);
  await refreshSessions();
});

/** Runs an action; if the portal asks for elevation (or the second factor), gets it, then runs the action again. */
async function guarded(action) {
  const result = await action();
  if (result?.status !== 403 || !result.json?.data) return;
  const need = result.json.data;
  if (need.first_factor) {
    location.replace(withTarget('./'));
  } else if (need.second_factor) {
    if (await secondFactor()) await guarded(action);
  } else if (need.elevation) {
    pendingAction = action;
    await sendCode();
  }
}

async function secondFactor() {
  // A user with a one-time password app and no key confirms with a code from the app.
  const keys = await api('GET', 'api/secondfactor/webauthn/credentials');
  if (keys.status === 200 && (keys.json.data || []).length === 0) {
    const token = (prompt('Enter the code from your one-time password app') || '').replace(/\s/g, '');
    if (!token) return false;
    const result = await api('POST', 'api/secondfactor/totp', { token });
    if (result.status === 200) return true;
    say(result.status === 401 ? 'That code was not accepted.' : (result.json?.message || 'The code could not be checked.'), true);
    return false;
  }
  say('Touch your security key to confirm it is you…');
  const options = await api('GET', 'api/secondfactor/webauthn');
  if (options.status !== 200) {
    say(options.json?.message || 'The security key check could not start.', true);
    return false;
  }
  try {
    const response = await getAssertion(options.json.data.publicKey);
    const result = await api('POST', 'api/secondfactor/webauthn', { response });
    if (result.status === 200) return true;
    say(result.json?.message || 'That security key was not accepted.', true);
  } catch (error) {
    say(webAuthnErrorMessage(error), true);
  }
  return false;
}

async function sendCode() {
  const result = await api('POST', 'api/user/session/elevation');
  $('verify').hidden = false;
  if (result.status === 429) {
    say('Too many codes were requested. Wait a few minutes, then try again.', true);
  } else if (result.status !== 200) {
    say(result.json?.message || 'The code could not be sent.', true);
  } else {
    say('We emailed you a one-time code. It is valid for a few minutes.');
  }
  $('code').value = '';
  $('code').focus();
}

$('verify-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const otc = $('code').value.trim().toUpperCase();
  if (!otc) {
    say('Enter the code from your email.', true);
    return;
  }
  $('verify-submit').disabled = true;
  try {
    const result = await api('PUT', 'api/user/session/elevation', { otc });
    if (result.status === 200) {
      $('verify').hidden = true;
      say('Confirmed.');
      const action = pendingAction;
      pendingAction = null;
      if (action) await guarded(action);
    } else if (result.status === 429) {
      say('Too many attempts. Wait a few minutes, then request a new code.', true);
    } else {
      say('That code is not valid. It may have expired or been used already; you can send a new one.', true);
      $('code').select();
    }
  } finally {
    $('verify-submit').disabled = false;
  }
});

$('verify-resend').addEventListener('click', () => sendCode());
$('verify-cancel').addEventListener('click', () => {
  pendingAction = null;
  $('verify').hidden = true;
  say('');
});

async function addCredential(name) {
  const begin = await api('PUT', 'api/secondfactor/webauthn/credential/register', { description: name, passkey: enrolling || undefined });
  if (begin.status === 403) return begin;
  if (begin.status === 409) {
    say('You already have a key with that name. Choose another name.', true);
    return begin;
  }
  if (begin.status !== 200) {
    say(begin.json?.message || 'The key could not be registered.', true);
    return begin;
  }
  say('Follow your browser’s prompt to create the key…');
  let credential;
  try {
    credential = await createCredential(begin.json.data.publicKey);
  } catch (error) {
    await api('DELETE', 'api/secondfactor/webauthn/credential/register');
    say(webAuthnErrorMessage(error), true);
    return null;
  }
  const finish = await api('POST', 'api/secondfactor/webauthn/credential/register', credential);
  if (finish.status === 201 || finish.status === 200) {
    $('name').value = '';
    say(`Added "${name}".`);
    await refresh();
    if (enrolling) await continueAfterEnrollment();
  } else {
    say(finish.json?.message || 'The key was not accepted.', true);
  }
  return finish;
}

async function renameCredential(id, name) {
  if (!name || name.length > 64) {
    say('A name has 1 to 64 characters.', true);
    return null;
  }
  const result = await api('PUT', `api/secondfactor/webauthn/credential/${encodeURIComponent(id)}`, { description: name });
  if (result.status === 200) {
    say(`Renamed to "${name}".`);
    await refresh();
  } else if (result.status === 409) {
    say('You already have a key with that name. Choose another name.', true);
  } else if (result.status !== 403) {
    say(result.json?.message || 'The key could not be renamed.', true);
  }
  return result;
}

async function deleteCredential(id, name) {
  const result = await api('DELETE', `api/secondfactor/webauthn/credential/${encodeURIComponent(id)}`);
  if (result.status === 200) {
    say(`Deleted "${name}".`);
    await refresh();
  } else if (result.status !== 403) {
    say(result.json?.message || 'The key could not be deleted.', true);
  }
  return result;
}

$('add-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  if (!name || name.length > 64) {
    say('Give the key a name of 1 to 64 characters.', true);
    $('name').focus();
    return;
  }
  $('add').disabled = true;
  try {
    await guarded(() => addCredential(name));
  } finally {
    $('add').disabled = false;
  }
});

// The one-time password app: offered when the portal lists "totp" among its methods; 200 with its parameters
// when the user has one, 404 without.
async function refreshTotp() {
  const [configuration, { status, json }] = await Promise.all([api('GET', 'api/configuration'), api('GET', 'api/secondfactor/totp')]);
  const has = status === 200;
  const available = (configuration.json?.data?.available_methods || []).includes('totp');
  $('totp-info').textContent = has
    ? `Added ${dateText(json.data.created_at)} · last used ${dateText(json.data.last_used_at)} · ${json.data.digits} digits every ${json.data.period} s`
    : (available ? 'No one-time password app yet.' : 'One-time password apps are not available here.');
  $('totp-add').hidden = !available;
  $('totp-add').textContent = has ? 'Replace the one-time password app' : 'Add a one-time password app';
  $('totp-remove').hidden = !has;
}

async function beginTotp() {
  const begin = await api('PUT', 'api/secondfactor/totp/register', {});
  if (begin.status === 403) return begin;
  if (begin.status !== 200) {
    say(begin.json?.message || 'The one-time password app could not be added.', true);
    return begin;
  }
  $('totp-qr').src = begin.json.data.qr_code;
  $('totp-secret').textContent = begin.json.data.base32_secret;
  $('totp-register').hidden = false;
  $('totp-code').value = '';
  $('totp-code').focus();
  say('Scan the QR code (or type the secret) in your app, then enter the code it shows.');
  return begin;
}

async function activateTotp(token) {
  const result = await api('POST', 'api/secondfactor/totp/register', { token });
  if (result.status === 201) {
    $('totp-register').hidden = true;
    $('totp-secret').textContent = '';
    $('totp-qr').removeAttribute('src');
    say('One-time password app added.');
    await refreshTotp();
  } else if (result.status !== 403) {
    say(result.json?.message || 'That code was not accepted.', true);
    $('totp-code').select();
  }
  return result;
}

async function removeTotp() {
  const result = await api('DELETE', 'api/secondfactor/totp');
  if (result.status === 200) {
    say('One-time password app removed.');
    await refreshTotp();
  } else if (result.status !== 403) {
    say(result.json?.message || 'The one-time password app could not be removed.', true);
  }
  return result;
}

$('totp-add').addEventListener('click', async () => {
  $('totp-add').disabled = true;
  try {
    await guarded(() => beginTotp());
  } finally {
    $('totp-add').disabled = false;
  }
});

$('totp-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('totp-code').value.replace(/\s/g, '');
  if (!/^[0-9]{6,8}$/.test(token)) {
    say('Enter the 6 or 8 digits your app shows.', true);
    $('totp-code').focus();
    return;
  }
  $('totp-activate').disabled = true;
  try {
    await guarded(() => activateTotp(token));
  } finally {
    $('totp-activate').disabled = false;
  }
});

$('totp-cancel').addEventListener('click', async () => {
  $('totp-register').hidden = true;
  $('totp-secret').textContent = '';
  $('totp-qr').removeAttribute('src');
  await api('DELETE', 'api/secondfactor/totp/register');
  say('');
});

$('totp-remove').addEventListener('click', () => {
  if (confirm('Remove your one-time password app? Its codes will no longer sign you in.')) guarded(() => removeTotp());
});

$('logout').addEventListener('click', async () => {
  await api('POST', 'api/logout', {});
  location.assign('./');
});

start().catch(() => say('The portal could not be reached.', true));

// Sign-in page: password (/api/firstfactor) or passkey (/api/firstfactor/passkey), including passkeys offered in the
// username field's autofill (conditional mediation). No inline script (the CSP forbids it).
import { $, api, say, params, withTarget, pageFor, webAuthnSupported, getAssertion, webAuthnErrorMessage } from './common.js';

const rd = params.get('rd') || '';
const rm = params.get('rm') || '';

async function showState() {
  const { status, json } = await api('GET', 'api/state');
  if (status !== 200) {
    say(json?.message || 'The portal is unavailable. Try again shortly.', true);
    return;
  }
  const state = json.data;
  if (state.authentication_level > 0 && rd) {
    // Sent back here while signed in: the target needs more than this session has, or this user may not open it.
    location.replace(await pageFor(rd, rm));
    return;
  }
  if (state.authentication_level > 0) {
    $('login').hidden = true;
    $('signed-in').hidden = false;
    $('who').textContent = state.username;
  } else {
    $('username').focus();
    await offerPasskeys(state);
  }
}

// The pending autofill request: aborted before any other sign-in starts, since a browser runs one WebAuthn request
// at a time and the portal keeps one ceremony per session.
let conditional = null;

function abortConditional() {
  if (conditional) {
    conditional.abort();
    conditional = null;
  }
}

async function offerPasskeys(state) {
  if (!state.passkey_login || !webAuthnSupported()) return;
  $('passkey').hidden = false;
  if (await PublicKeyCredential.isConditionalMediationAvailable?.()) {
    startConditional();
  }
}

async function startConditional() {
  abortConditional();
  const controller = new AbortController();
  conditional = controller;
  const options = await api('GET', 'api/firstfactor/passkey');
  if (options.status !== 200 || controller.signal.aborted) return;
  let response;
  try {
    response = await getAssertion(options.json.data.publicKey, { mediation: 'conditional', signal: controller.signal });
  } catch {
    return; // aborted by the button or the password form, or dismissed: nothing to say
  }
  if (conditional === controller) conditional = null;
  await completePasskey(response);
}

async function completePasskey(response) {
  say('Signing in…');
  const result = await api('POST', 'api/firstfactor/passkey', {
    response, keepMeLoggedIn: $('remember').checked, targetURL: rd || undefined, requestMethod: rm || undefined,
  });
  if (result.status === 200) {
    await signedIn(result.json);
  } else {
    say('That passkey could not sign you in. Try again, or use your password.', true);
  }
}

$('passkey').addEventListener('click', async () => {
  abortConditional();
  $('passkey').disabled = true;
  try {
    const options = await api('GET', 'api/firstfactor/passkey');
    if (options.status !== 200) {
      say(options.json?.message || 'Passkey sign-in is unavailable.', true);
      return;
    }
    say('Choose a passkey…');
    let response;
    try {
      response = await getAssertion(options.json.data.publicKey);
    } catch (error) {
      say(webAuthnErrorMessage(error), true);
      return;
    }
    await completePasskey(response);
  } catch {
    say('The portal could not be reached. Check your connection.', true);
  } finally {
    $('passkey').disabled = false;
  }
});

/** After either first factor: go to the target, to the second-factor page when it needs more, or show the state. */
async function signedIn(json, byPassword = false) {
  $('password').value = '';
  // Where to go next: the target, the second-factor page when it needs more than this first factor, or the
  // forbidden page when this user may not open it at all.
  const next = json?.data?.redirect || (rd ? await pageFor(rd, rm) : null);
  if (byPassword && await offerEnrollment(next)) return;
  if (next) {
    location.assign(next);
    return;
  }
  say('Signed in.');
  await showState();
}

/** The passkey offer after a password sign-in (webauthn.passkey_enrollment: offer); true when it is shown. */
async function offerEnrollment(next) {
  if (!webAuthnSupported()) return false;
  const offer = await api('GET', 'api/passkey/enrollment');
  if (offer.status !== 200 || !offer.json.data.offer) return false;
  $('login').hidden = true;
  $('enroll').hidden = false;
  say('Signed in.');
  $('enroll-create').focus();
  const target = next || '';
  $('enroll-create').addEventListener('click', () => {
    // Settings does the registration, behind the same emailed-code check as any other key, then goes on to the target.
    const query = new URLSearchParams({ enroll: 'passkey' });
    if (target) query.set('next', target);
    location.assign(`settings?${query}`);
  });
  $('enroll-later').addEventListener('click', async () => {
    await api('POST', 'api/passkey/enrollment/snooze', {});
    if (target) {
      location.assign(target);
    } else {
      $('enroll').hidden = true;
      await showState();
    }
  });
  return true;
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    say('Enter your username and password.', true);
    return;
  }
  abortConditional();
  $('submit').disabled = true;
  say('Signing in…');
  try {
    const { status, json } = await api('POST', 'api/firstfactor', {
      username, password, keepMeLoggedIn: $('remember').checked, targetURL: rd || undefined, requestMethod: rm || undefined,
    });
    if (status === 200) {
      await signedIn(json, true);
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

// "Forgot password?" only where the reset is offered (authentication_backend.password_reset.disable: false).
api('GET', 'api/reset-password/configuration').then(({ status, json }) => {
  if (status === 200 && json.data.enabled) $('forgot').hidden = false;
}).catch(() => { /* the link stays hidden */ });

showState().catch(() => say('The portal could not be reached.', true));

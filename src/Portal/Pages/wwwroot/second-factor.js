// Second factor: a code from the user's one-time password app or a WebAuthn assertion over their security keys
// (each offered only when the user has one), or, after a passkey sign-in, the password.
import { $, api, say, params, withTarget, accessTo, webAuthnSupported, getAssertion, webAuthnErrorMessage, signedInState, isSafeTarget } from './common.js';

const rd = params.get('rd') || '';
const rm = params.get('rm') || '';

async function start() {
  const state = await signedInState();
  if (!state) return;
  $('settings').href = withTarget('settings');
  $('settings-link').href = withTarget('settings');
  const access = rd ? await accessTo(rd, rm) : null;
  if (access === 'forbidden') {
    location.replace(withTarget('forbidden'));
    return;
  }
  if (access === 'allowed') {
    await continueTo(rd);
    return;
  }
  if (!state.factor_knowledge) {
    // Before the "already two factors" shortcut: a user-verified passkey can count as two factors globally while
    // the target's rule still asks for the password (passkey_uv_two_factor: deny); being sent here means it does.
    // A passkey is something you have: the second factor must be something you know.
    $('use-key').hidden = true;
    $('use-recovery').hidden = true;
    $('password-step').hidden = false;
    $('password').focus();
    return;
  }
  if (access === null && state.authentication_level >= 2 && rd) {
    // The access check did not answer: a session with two factors goes on, and the target has the last word.
    await continueTo(rd);
    return;
  }
  // 200 only when the user has an app registered (404 without one, or when TOTP is disabled).
  const [totp, list] = await Promise.all([api('GET', 'api/secondfactor/totp'), api('GET', 'api/secondfactor/webauthn/credentials')]);
  const hasTotp = totp.status === 200;
  const hasKey = !(list.status === 200 && (list.json.data || []).length === 0);
  $('totp-form').hidden = !hasTotp;
  if (!hasKey) {
    $('use-key').hidden = true;
    $('no-key').hidden = hasTotp;
    if (hasTotp) $('totp-code').focus();
    return;
  }
  if (!webAuthnSupported()) {
    $('use-key').disabled = true;
    if (hasTotp) {
      $('totp-code').focus();
    } else {
      say('This browser cannot use security keys or passkeys. Try another browser.', true);
    }
    return;
  }
  // Enabled only now: a ceremony started while the page's own requests are in flight could be overwritten by their
  // session save (each request stores the whole session).
  $('use-key').disabled = false;
  if (hasTotp) {
    $('totp-code').focus();
  } else {
    $('use-key').focus();
  }
}

/**
 * One secret typed as the second factor (an app's code, the password after a passkey, a recovery code): posted to
 * `path`; on success the input is cleared and the user goes on; a 401 (wrong, used, or banned: the portal does not
 * say which) shows `refused`; anything else the portal's message.
 */
async function submitSecond({ input, button, path, body, refused, verified = () => 'Verified.' }) {
  $(button).disabled = true;
  try {
    const result = await api('POST', path, { ...body, targetURL: rd || undefined });
    if (result.status === 200) {
      $(input).value = '';
      say(verified(result.json?.data));
      if (result.json?.data?.redirect) {
        location.assign(result.json.data.redirect);
        return;
      }
      if (rd) await continueTo(rd);
    } else if (result.status === 401) {
      say(refused, true);
      $(input).select();
    } else {
      say(result.json?.message || 'That could not be checked. Try again shortly.', true);
    }
  } catch {
    say('The portal could not be reached. Check your connection.', true);
  } finally {
    $(button).disabled = false;
  }
}

$('totp-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('totp-code').value.replace(/\s/g, '');
  if (!/^[0-9]{6,8}$/.test(token)) {
    say('Enter the 6 or 8 digits your app shows.', true);
    $('totp-code').focus();
    return;
  }
  await submitSecond({ input: 'totp-code', button: 'totp-submit', path: 'api/secondfactor/totp', body: { token },
    refused: 'That code was not accepted. Wait for the next code and try again.' });
});

async function continueTo(target) {
  if (await isSafeTarget(target)) {
    location.assign(target);
  } else {
    say('Verified. You can close this page.');
  }
}

$('use-key').addEventListener('click', async () => {
  $('use-key').disabled = true;
  say('Touch your security key…');
  try {
    const options = await api('GET', 'api/secondfactor/webauthn');
    if (options.status !== 200) {
      say(options.json?.message || 'The portal could not start the security key check.', true);
      return;
    }
    let credential;
    try {
      credential = await getAssertion(options.json.data.publicKey);
    } catch (error) {
      say(webAuthnErrorMessage(error), true);
      return;
    }
    const result = await api('POST', 'api/secondfactor/webauthn', { response: credential, targetURL: rd || undefined, requestMethod: rm || undefined });
    if (result.status === 200) {
      if (result.json?.data?.redirect) {
        location.assign(result.json.data.redirect);
        return;
      }
      say('Verified.');
      if (rd) await continueTo(rd);
    } else {
      say(result.json?.message || 'That security key was not accepted.', true);
    }
  } catch {
    say('The portal could not be reached. Check your connection.', true);
  } finally {
    $('use-key').disabled = false;
  }
});

$('password-step').addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = $('password').value;
  if (!password) {
    say('Enter your password.', true);
    return;
  }
  await submitSecond({ input: 'password', button: 'password-submit', path: 'api/secondfactor/password',
    body: { password, requestMethod: rm || undefined }, refused: 'Incorrect password.' });
});

$('use-recovery').addEventListener('click', () => {
  $('use-recovery').hidden = true;
  $('recovery-step').hidden = false;
  $('recovery-code').focus();
});

$('recovery-step').addEventListener('submit', async (event) => {
  event.preventDefault();
  const code = $('recovery-code').value.trim();
  if (!code) {
    say('Enter a recovery code.', true);
    return;
  }
  await submitSecond({ input: 'recovery-code', button: 'recovery-submit', path: 'api/secondfactor/recovery-code', body: { code },
    refused: 'That recovery code is not valid, or was already used.',
    verified: (data) => `Verified. You have ${data.remaining} recovery code${data.remaining === 1 ? '' : 's'} left.` });
});

$('logout').addEventListener('click', async () => {
  await api('POST', 'api/logout', {});
  location.assign(withTarget('./'));
});

start().catch(() => say('The portal could not be reached.', true));

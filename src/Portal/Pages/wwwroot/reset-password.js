// Password reset: step1 asks for the username (/api/reset-password/identity/start); step2, the emailed link, checks
// the link (/api/reset-password/identity/finish) and sets the new password (/api/reset-password).
import { $, api, say, params } from './common.js';

const token = params.get('token') || '';

function describe(policy) {
  if (policy.mode === 'standard') {
    const rules = [`at least ${policy.min_length} characters`];
    if (policy.require_uppercase) rules.push('an uppercase letter');
    if (policy.require_lowercase) rules.push('a lowercase letter');
    if (policy.require_number) rules.push('a number');
    if (policy.require_special) rules.push('a special character');
    return `The password needs ${rules.join(', ')}.`;
  }
  if (policy.mode === 'zxcvbn') return 'Choose a strong password: several unrelated words make one that is easy to remember.';
  return '';
}

async function stepOne() {
  $('ask').hidden = false;
  $('username').focus();
  $('ask').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = $('username').value.trim();
    if (!username) {
      say('Enter your username.', true);
      return;
    }
    $('send').disabled = true;
    const { status, json } = await api('POST', '../api/reset-password/identity/start', { username });
    $('send').disabled = false;
    if (status === 200) {
      $('ask').hidden = true;
      say('If this account has an email address, a link to reset the password was sent to it. Check your email.');
    } else {
      say(json?.message || 'The request could not be sent. Try again later.', true);
    }
  });
}

async function stepTwo() {
  const [check, config] = await Promise.all([
    api('POST', '../api/reset-password/identity/finish', { token }),
    api('GET', '../api/reset-password/configuration'),
  ]);
  if (check.status !== 200) {
    say(check.json?.message || 'This link cannot be used.', true);
    return;
  }
  $('account').value = check.json.data.username;
  $('policy').textContent = config.status === 200 ? describe(config.json.data) : '';
  $('choose').hidden = false;
  $('new-password').focus();
  $('choose').addEventListener('submit', async (event) => {
    event.preventDefault();
    const password = $('new-password').value;
    if (password !== $('repeat-password').value) {
      say('The two passwords differ.', true);
      $('repeat-password').focus();
      return;
    }
    $('save').disabled = true;
    const { status, json } = await api('POST', '../api/reset-password', { token, password });
    $('save').disabled = false;
    if (status === 200) {
      $('choose').hidden = true;
      say('Your password was changed and every session was signed out. Sign in with the new password.');
    } else {
      say(json?.message || 'The password could not be changed.', true);
      $('new-password').focus();
    }
  });
}

(location.pathname.endsWith('/step2') ? stepTwo() : stepOne())
  .catch(() => say('The portal could not be reached.', true));

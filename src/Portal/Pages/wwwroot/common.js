// Shared by every page: the API envelope, status messages, and WebAuthn JSON <-> browser conversions.
export const $ = (id) => document.getElementById(id);

export const params = new URLSearchParams(location.search);

/** Shows a message in the page's live region (role=status / aria-live), so screen readers announce it. */
export function say(text, isError = false, id = 'status') {
  const status = $(id);
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

/** Calls the portal's API (relative to the page, so a path prefix in authelia_url keeps working). */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  let json = null;
  try { json = await response.json(); } catch { /* empty body */ }
  return { status: response.status, json };
}

/** Keeps rd/rm when moving between the portal's pages. */
export function withTarget(page) {
  const next = new URLSearchParams();
  for (const key of ['rd', 'rm']) {
    if (params.get(key)) next.set(key, params.get(key));
  }
  const query = next.toString();
  return query ? `${page}?${query}` : page;
}

/** True when the portal would send a browser to this target (/api/checks/safe-redirection). */
export async function isSafeTarget(target) {
  const check = await api('POST', 'api/checks/safe-redirection', { uri: target });
  return check.status === 200 && check.json.data.ok === true;
}

/**
 * The session's state for a page that needs a signed-in user (showing the name in #who), or null after sending an
 * anonymous visitor to sign in, with rd/rm kept.
 */
export async function signedInState() {
  const { status, json } = await api('GET', 'api/state');
  if (status !== 200 || json.data.authentication_level < 1) {
    location.replace(withTarget('./'));
    return null;
  }
  $('who').textContent = json.data.username;
  return json.data;
}

/**
 * What the signed-in session may do at the target: 'allowed', 'more_factors' or 'forbidden' (the portal's own
 * decision, /api/checks/access), or null when the portal could not say.
 */
export async function accessTo(target, method) {
  const check = await api('POST', 'api/checks/access', { uri: target, method: method || undefined });
  return check.status === 200 ? check.json.data.access : null;
}

/** The page for a signed-in user sent here with a target: the target itself, the forbidden page or the second factor. */
export async function pageFor(target, method) {
  switch (await accessTo(target, method)) {
    case 'allowed': return target;
    case 'forbidden': return withTarget('forbidden');
    default: return withTarget('second-factor');
  }
}

export const webAuthnSupported = () => typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;

const fromB64u = (s) => {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
};
const toB64u = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function creationOptions(json) {
  if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: fromB64u(json.challenge),
    user: { ...json.user, id: fromB64u(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map((c) => ({ ...c, id: fromB64u(c.id) })),
  };
}

function requestOptions(json) {
  if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return {
    ...json,
    challenge: fromB64u(json.challenge),
    allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: fromB64u(c.id) })),
  };
}

function credentialJson(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: toB64u(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toB64u(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = toB64u(r.authenticatorData);
    response.signature = toB64u(r.signature);
    if (r.userHandle) response.userHandle = toB64u(r.userHandle);
  }
  return {
    id: credential.id, rawId: toB64u(credential.rawId), type: credential.type, response,
    authenticatorAttachment: credential.authenticatorAttachment, clientExtensionResults: credential.getClientExtensionResults(),
  };
}

/** navigator.credentials.create from the portal's options JSON; resolves to the JSON to POST back. */
export async function createCredential(publicKeyJson) {
  return credentialJson(await navigator.credentials.create({ publicKey: creationOptions(publicKeyJson) }));
}

/** navigator.credentials.get from the portal's options JSON; resolves to the JSON to POST back. */
export async function getAssertion(publicKeyJson, extra = {}) {
  return credentialJson(await navigator.credentials.get({ publicKey: requestOptions(publicKeyJson), ...extra }));
}

/** A sentence a person can act on for a WebAuthn error thrown by the browser. */
export function webAuthnErrorMessage(error) {
  switch (error?.name) {
    case 'NotAllowedError': return 'The security key request was cancelled or timed out. Try again.';
    case 'InvalidStateError': return 'This security key is already registered to your account.';
    case 'NotSupportedError': return 'This browser or security key does not support what the portal asked for.';
    case 'SecurityError': return 'The browser refused the request for this site (check the portal address).';
    case 'AbortError': return 'The request was cancelled.';
    default: return 'The security key could not be used. Try again.';
  }
}

// Signing in. Two modes, chosen by /config.json:
//  - "local": the local cloud's issuer (POST /_local/token) with a user id of the demo org; the issuer runs the
//    template's TokenClaims trigger on the stored memberships, as a Cognito sign-in would.
//  - "cognito": the Cognito hosted UI, authorization code with PKCE (no client secret in the browser); the
//    ID token (which carries org_id, roles, group_roles from the TokenClaims trigger) is the bearer token.
// The token lives in sessionStorage: closing the tab signs out.

const KEY = 'goalpost.session';
let config;

export function init(cfg) { config = cfg; }

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (!s) return null;
    return { ...s, claims: claimsOf(s.token) };
  } catch { return null; }
}

export const token = () => session()?.token ?? null;

export function signOut() {
  sessionStorage.removeItem(KEY);
  if (config?.auth?.mode === 'cognito') {
    const c = config.auth;
    location.assign(`${c.domain}/logout?client_id=${encodeURIComponent(c.clientId)}&logout_uri=${encodeURIComponent(c.redirectUri)}`);
  } else {
    location.hash = '#/signin';
  }
}

/** Claims as the console uses them; lists may arrive as arrays or space-separated strings (Cognito). */
export function claimsOf(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = JSON.parse(decodeURIComponent(escape(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')))));
  const list = (v) => (Array.isArray(v) ? v : typeof v === 'string' ? v.replace(/[[\]"]/g, ' ').split(/[\s,]+/).filter(Boolean) : []);
  // group_roles: the role in each group, "grp_a:manager grp_b:agent" (what the API authorizes from).
  const groupRoles = Object.fromEntries(list(json.group_roles).map((e) => [e.slice(0, e.lastIndexOf(':')), e.slice(e.lastIndexOf(':') + 1)])
    .filter(([g, r]) => g && r));
  const roles = [...new Set([...list(json.roles), ...Object.values(groupRoles)])];
  return {
    userId: json.sub, orgId: json.org_id, name: json.name || json.email || json.sub, roles, groups: Object.keys(groupRoles), groupRoles,
    isAdmin: roles.includes('admin'), isManager: roles.includes('manager'), exp: json.exp,
  };
}

function store(tokenValue, extra = {}) {
  sessionStorage.setItem(KEY, JSON.stringify({ token: tokenValue, ...extra }));
}

// ------------------------------------------------------------------ local issuer
const LOCAL_TTL_SECONDS = 366 * 24 * 3600; // the local clock is moved forward in demos and tests

async function mint(body) {
  const res = await fetch(config.auth.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(json.detail || 'The local issuer refused');
  return json.token;
}

/**
 * Signs in locally as userId, as Cognito would: the local issuer runs the TokenClaims trigger on the stored
 * memberships, so the token carries the user's role in each group; admins are in the Cognito group "admins".
 */
export async function signInLocal(userId, { admin = false, name = null } = {}) {
  const orgId = config.auth.orgId;
  store(await mint({ userId, orgId, ...(admin ? { cognitoGroups: ['admins'] } : {}), ...(name ? { name } : {}),
    ttlSeconds: LOCAL_TTL_SECONDS }));
}

// ------------------------------------------------------------------ Cognito hosted UI + PKCE
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function startCognitoSignIn() {
  const c = config.auth;
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('goalpost.pkce', JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: 'code', client_id: c.clientId, redirect_uri: c.redirectUri, scope: c.scopes || 'openid email profile',
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${c.domain}/oauth2/authorize?${params}`);
}

/** On return from the hosted UI (?code=…&state=…): trades the code for tokens. True when it signed in. */
export async function completeCognitoSignIn() {
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  if (!code || config.auth.mode !== 'cognito') return false;
  const pkce = JSON.parse(sessionStorage.getItem('goalpost.pkce') || '{}');
  if (url.searchParams.get('state') !== pkce.state) throw new Error('Sign-in state did not match; sign in again.');
  const res = await fetch(`${config.auth.domain}/oauth2/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.auth.clientId, code, redirect_uri: config.auth.redirectUri, code_verifier: pkce.verifier }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error_description || json.error || 'Sign-in failed');
  sessionStorage.removeItem('goalpost.pkce');
  store(json.id_token, { refreshToken: json.refresh_token });
  history.replaceState(null, '', url.pathname + '#/');
  return true;
}

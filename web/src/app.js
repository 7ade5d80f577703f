// The console's entry: reads /config.json, restores the session, routes on the URL hash.
import * as api from './api.js';
import * as auth from './auth.js';
import * as agent from './agent.js';
import * as admin from './admin.js';
import { explain } from './problems.js';
import { h, mount, notice } from './ui.js';

const root = document.getElementById('app');
const nav = document.getElementById('nav');
let config;

function signInScreen() {
  nav.replaceChildren();
  if (config.auth.mode === 'cognito') {
    mount(root, h('section', { class: 'card signin' }, h('h2', {}, 'Sign in to Goalpost'),
      h('button', { class: 'primary big', onclick: () => auth.startCognitoSignIn() }, 'Sign in')));
    return;
  }
  const err = h('div');
  const user = h('input', { placeholder: 'user id', 'data-testid': 'signin-user' });
  const isAdmin = h('input', { type: 'checkbox', 'data-testid': 'signin-admin' });
  const go = async (userId, adminRole, name) => {
    try { await auth.signInLocal(userId, { admin: adminRole, name }); location.hash = adminRole ? '#/admin' : '#/agent'; start(); } catch (e) { mount(err, notice('error', e.message)); }
  };
  mount(root, h('section', { class: 'card signin' },
    h('h2', {}, 'Sign in (local)'),
    h('p', { class: 'muted' }, `The local cloud's issuer signs you in to ${config.auth.orgId}. Pick a demo user:`),
    h('div', { class: 'actions column' }, (config.auth.demoUsers || []).map((u) =>
      h('button', { 'data-testid': `signin-${u.userId}`, onclick: () => go(u.userId, u.admin, u.name) }, `${u.name || u.userId} (${u.userId}) — ${u.label}`))),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); go(user.value.trim(), isAdmin.checked); } },
      user, h('label', { class: 'check' }, isAdmin, ' org admin'), h('button', {}, 'Sign in')),
    err));
}

function drawNav(claims) {
  const links = [['#/agent', 'Texting'], ['#/agent/conversations', 'Conversations']];
  if (claims.isAdmin || claims.isManager) links.push(['#/admin', 'Admin']);
  mount(nav, links.map(([href, label]) => h('a', { href, class: location.hash.startsWith(href) ? 'on' : '' }, label)),
    h('span', { class: 'who' }, `${claims.name}${claims.isAdmin ? ' · admin' : claims.isManager ? ' · manager' : ''}`),
    h('button', { class: 'link', 'data-testid': 'signout', onclick: () => auth.signOut() }, 'Sign out'));
}

const ROUTES = [
  [/^#\/agent\/batch\/([^/]+)\/(initial|reminders)$/, (m) => agent.batch(root, m[1], m[2])],
  [/^#\/agent\/replies\/([^/]+)$/, (m) => agent.replies(root, m[1])],
  [/^#\/agent\/conversations(?:\/(all|unread))?$/, (m) => agent.conversations(root, m[1] || 'unread')],
  [/^#\/agent$/, () => agent.home(root)],
  [/^#\/admin$/, () => admin.groups(root)],
  [/^#\/admin\/group\/([^/]+)$/, (m) => admin.group(root, m[1])],
  [/^#\/admin\/group\/([^/]+)\/contacts$/, (m) => admin.contacts(root, m[1])],
  [/^#\/admin\/group\/([^/]+)\/goals$/, (m) => admin.goals(root, m[1])],
  [/^#\/admin\/group\/([^/]+)\/review$/, (m) => admin.review(root, m[1])],
  [/^#\/admin\/goal\/([^/]+)$/, (m) => admin.goal(root, m[1])],
  [/^#\/admin\/goal\/([^/]+)\/stats$/, (m) => admin.stats(root, m[1])],
];

async function route() {
  const s = auth.session();
  if (!s || (s.claims.exp && s.claims.exp * 1000 < Date.now() && config.auth.mode === 'cognito')) { signInScreen(); return; }
  agent.setUser(s.claims);
  if (!location.hash || location.hash === '#/' || location.hash === '#/signin') {
    location.replace(s.claims.isAdmin ? '#/admin' : '#/agent');
    return;
  }
  drawNav(s.claims);
  const hit = ROUTES.map(([re, fn]) => [location.hash.match(re), fn]).find(([m]) => m);
  root.setAttribute('aria-busy', 'true');
  try {
    if (hit) await hit[1](hit[0]); else mount(root, notice('error', 'No such page.'), h('a', { href: '#/' }, 'Home'));
  } catch (e) {
    if (e.status === 401) { auth.signOut(); return; }
    mount(root, notice('error', explain(e)));
  } finally {
    root.removeAttribute('aria-busy');
  }
}

async function start() {
  api.configure(config, auth.token);
  await route();
}

(async () => {
  config = await (await fetch('config.json', { cache: 'no-store' })).json();
  auth.init(config);
  try { await auth.completeCognitoSignIn(); } catch (e) { mount(root, notice('error', e.message)); return; }
  window.addEventListener('hashchange', route);
  await start();
})();

// End-to-end test of the console in Debian's Chromium (headless, driven by playwright-core):
//   an admin imports a CSV and creates and launches a goal; the clock makes it active; an agent claims a batch
//   and texts three contacts; a contact replies through the local carrier and the agent answers it and records
//   Yes; the admin's stats show the counts; the deployed sign-in (Cognito hosted UI, code + PKCE) is played
//   against stand-in endpoints. A screenshot of each screen goes to the output folder.
// Usage: node test/e2e.mjs <baseUrl> [screenshotDir]   (the local cloud must run with the console, e.g. make run)
// Every wait is on a condition (DOM or API), never a fixed sleep; the local clock is moved through /_local/clock.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

const base = (process.argv[2] || 'http://127.0.0.1:8080').replace(/\/$/, '');
const shots = resolve(process.argv[3] || 'target/console-screenshots');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;
mkdirSync(shots, { recursive: true });

const started = Date.now();
const log = (msg) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

async function json(method, path, body, token) {
  const res = await fetch(base + path, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Polls until check() returns a truthy value (a condition, not a sleep); fails after TIMEOUT. */
async function until(what, check, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try { last = await check(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 100)); // poll interval, not a wait for time to pass
  }
  throw new Error(`Timed out waiting for ${what}: ${last?.message ?? JSON.stringify(last)}`);
}

// Dates relative to the local clock, so the test means the same on any day.
const day = (iso, plus) => new Date(Date.parse(iso) + plus * 86400e3).toISOString().slice(0, 10);
const clock = await json('GET', '/_local/clock');
const d0 = day(clock.now, 2);
const dates = { from: `${d0}T09:00`, to: `${day(clock.now, 6)}T12:00`, event: `${day(clock.now, 7)}T18:00`, activeAt: `${d0}T16:30:00Z` };

const tag = `console-${Date.now().toString(36)}`;
const csv = [
  'Phone,First Name,Last Name,Tags,County',
  `+17375550150,Nia,Console,${tag},Travis`,
  `+17375550151,Omar,Console,${tag};donor,Travis`,
  `"(737) 555-0152",Pia,Console,${tag},Hays`,
  `+17375550153,Raj,Console,${tag},Hays`,
  '12,Bad,Row,,',
].join('\r\n');

// playwright-core gives the browser a fresh temporary profile (--user-data-dir) of its own and removes it after.
const browser = await chromium.launch({
  executablePath, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
});
const consoleErrors = [];
async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('dialog', (d) => d.accept());
  return page;
}
const shot = async (page, name) => { await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }); log(`screenshot ${name}.png`); };
const idle = (page) => page.waitForFunction(() => !document.getElementById('app').hasAttribute('aria-busy'));

/** Signs in on the local sign-in screen: a demo user's button (so the token carries the display name). */
async function signIn(page, userId) {
  await page.goto(`${base}/#/signin`);
  await page.getByTestId(`signin-${userId}`).click();
  await page.getByTestId('signout').waitFor();
  await idle(page);
}

let exitCode = 0;
try {
  // ---------------------------------------------------------------- admin: CSV import, goal, launch
  const admin = await newPage();
  await admin.goto(`${base}/`);
  await admin.getByTestId('signin-user').waitFor();
  await shot(admin, '01-sign-in');
  await signIn(admin, 'admin-ana');
  await admin.getByTestId('group-link').first().waitFor();
  await shot(admin, '02-admin-groups');
  const austinHref = await admin.locator('[data-testid=group-link]', { hasText: 'Austin' }).getAttribute('href');
  const groupId = austinHref.split('/')[3];
  log(`Austin is ${groupId}`);

  await admin.goto(`${base}/#/admin/group/${groupId}/contacts`);
  await admin.getByTestId('csv-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await admin.getByTestId('import-start').click();
  const summary = await admin.getByTestId('import-summary').textContent();
  assert.match(summary, /Imported: (4 created, 0 updated|0 created, 4 updated), 0 duplicates, 1 invalid, 0 failed\./);
  assert.match(await admin.getByTestId('import-errors').textContent(), /Download 1 row problem/);
  const download = admin.waitForEvent('download');
  await admin.getByTestId('import-errors').click();
  const errorsCsv = await (await download).path();
  assert.match(readFileSync(errorsCsv, 'utf8'), /^line,field,problem\r\n6,phone,/);
  await admin.getByTestId('contact-search').fill('Console');
  await admin.getByRole('button', { name: 'Search' }).click();
  // API pages may be short or empty with a cursor (the local cloud's small-page mode): the screen reads on by itself.
  await admin.locator('[data-testid=contacts] tbody tr', { hasText: 'Nia Console' }).waitFor();
  await shot(admin, '03-admin-contacts-import');

  await admin.goto(`${base}/#/admin/group/${groupId}/goals`);
  await admin.getByTestId('new-goal-name').fill(`Console rally ${tag}`);
  await admin.getByTestId('new-goal-type').selectOption('EVENT');
  await admin.getByTestId('new-goal').click();
  await admin.getByTestId('goal-status').waitFor();
  const goalId = admin.url().split('/').pop();
  log(`goal ${goalId}`);
  await admin.getByTestId('goal-type-date').fill(dates.event);
  await admin.getByTestId('goal-from').fill(dates.from);
  await admin.getByTestId('goal-to').fill(dates.to);
  await admin.getByTestId('goal-instructions').fill('Be warm and brief. Details: https://example.org/rally');
  const initial = admin.getByTestId('script-initial').first();
  await initial.fill('Hi <first name|friend>, it is <agent name> with <group name>. Join our rally on <event date> at <event time>? Reply STOP to opt out');
  await admin.locator('[data-kind=response] button', { hasText: '+ script' }).click();
  await admin.getByTestId('script-response').first().fill('Wonderful, <first name>! See you there.');
  await admin.getByTestId('target-has-any').fill(tag);
  await admin.getByTestId('save-goal').click();
  await admin.getByTestId('estimate').filter({ hasText: 'About 4 of' }).waitFor();
  await admin.getByTestId('calendar').waitFor();
  await shot(admin, '04-admin-goal-form');
  await admin.getByTestId('launch').click();
  await admin.getByTestId('goal-status').filter({ hasText: 'SCHEDULED' }).waitFor();

  // ---------------------------------------------------------------- the clock opens the goal
  await json('POST', '/_local/clock', { set: dates.activeAt, freeze: true });
  await admin.reload();
  await admin.getByTestId('goal-status').filter({ hasText: 'ACTIVE' }).waitFor();
  log('goal ACTIVE');

  // ---------------------------------------------------------------- agent: claim, text three contacts
  const agent = await newPage();
  await signIn(agent, 'agent-ari');
  const start = agent.getByTestId(`start-initial-${goalId}`);
  await until('the goal\'s batches to be cut', async () => {
    await agent.reload();
    await idle(agent);
    return /\(1 batch\)/.test(await start.textContent()) && await start.isEnabled();
  });
  await shot(agent, '05-agent-home');
  await start.click();
  await agent.getByTestId('preview').waitFor();
  const first = await agent.getByTestId('preview').textContent();
  assert.match(first, /^Hi (Nia|Omar|Pia|Raj), it is Ari Romero with Austin\. Join our rally on [A-Z][a-z]+day, [A-Z][a-z]+ \d+ at \d+:00 PM C[SD]T\? Reply STOP to opt out$/);
  assert.match(await agent.getByTestId('segments').textContent(), /^1 segment · GSM-7 · \d+ \/ 160$/);
  await shot(agent, '06-agent-batch');
  const outboxBefore = (await json('GET', '/_local/outbox')).items.length; // a rerun on the same cloud has older texts
  const texted = [];
  for (let i = 1; i <= 3; i++) {
    texted.push((await agent.getByTestId('contact-name').textContent()).trim());
    await agent.keyboard.press('Enter'); // send with one key
    await agent.getByTestId('position').filter({ hasText: `${i} sent` }).waitFor();
  }
  log(`texted ${texted.join(', ')}`);
  const phoneView = await newPage({ width: 390, height: 844 });
  await signIn(phoneView, 'agent-ari');
  await phoneView.goto(`${base}/#/agent/batch/${goalId}/initial`); // the claim returns the batch still held
  await phoneView.getByTestId('preview').waitFor();
  await shot(phoneView, '07-agent-batch-phone');
  await phoneView.context().close();

  // ---------------------------------------------------------------- a reply through the local carrier
  const outbox = await until('three texts at the carrier', async () => {
    const items = (await json('GET', '/_local/outbox')).items.slice(outboxBefore).filter((m) => m.body.includes('Join our rally') && m.to.startsWith('+1737555015'));
    return items.length >= 3 && items;
  });
  const repliedTo = outbox[0];
  await json('POST', '/_local/inbound', { from: repliedTo.to, to: repliedTo.from, body: 'Count me in!' });
  // The agent who texted holds the thread for the group's response window, so the reply waits in their own
  // unread conversations (after the window it joins the goal's unread pool for anyone).
  const mine = agent.getByTestId('my-unread');
  await agent.goto(`${base}/#/agent`);
  await until('the reply to reach the agent', async () => {
    await agent.reload();
    await idle(agent);
    return !/\(0\)/.test(await mine.textContent());
  });
  await mine.click();
  const repliedName = { '+17375550150': 'Nia', '+17375550151': 'Omar', '+17375550152': 'Pia', '+17375550153': 'Raj' }[repliedTo.to];
  await agent.getByTestId('conversation').filter({ hasText: `${repliedName} Console` }).first().click();
  await agent.getByTestId('history').filter({ hasText: 'Count me in!' }).waitFor();
  await agent.locator('.chip', { hasText: 'Wonderful' }).click();
  assert.match(await agent.getByTestId('reply-box').inputValue(), /^Wonderful, (Nia|Omar|Pia|Raj)! See you there\.$/);
  await agent.getByTestId('send-reply').click();
  await agent.locator('[data-testid=history] li.out', { hasText: 'Wonderful' }).waitFor();
  await agent.getByTestId('lead-yes').click();
  await agent.locator('#toast', { hasText: 'Recorded Yes.' }).waitFor();
  await shot(agent, '08-agent-reply');

  // A 409 reads as a sentence: another agent finds no replies to claim (the one reply is held by agent-ari).
  const bea = await newPage();
  await signIn(bea, 'agent-bea');
  await bea.goto(`${base}/#/agent/replies/${goalId}`);
  await bea.locator('.notice', { hasText: 'Nothing is waiting to be claimed right now.' }).waitFor();
  await bea.context().close();

  // ---------------------------------------------------------------- admin: stats and review
  await admin.goto(`${base}/#/admin/goal/${goalId}/stats`);
  await until('the stats to count the texts, the reply and the Yes', async () => {
    await admin.reload();
    await idle(admin);
    const v = async (id) => (await admin.getByTestId(id).locator('strong').textContent()).trim();
    return (await v('stat-targeted')) === '4' && (await v('stat-messaged')) === '3' && (await v('stat-remaining')) === '1'
      && (await v('stat-replies')) === '1' && (await v('stat-yes')) === '1' && (await v('stat-rate')) === '33.3%';
  });
  await admin.getByTestId('per-agent').locator('tr', { hasText: 'agent-ari' }).waitFor();
  await shot(admin, '09-admin-stats');
  await admin.goto(`${base}/#/admin/group/${groupId}/review`);
  await admin.getByTestId('review-agent').selectOption('agent-ari');
  await admin.getByRole('button', { name: 'Show' }).click();
  await admin.getByTestId('review-item').first().waitFor();
  await admin.getByTestId('review-item').filter({ hasText: 'Console' }).first().click();
  await admin.locator('.messages li').first().waitFor();
  await shot(admin, '10-admin-review');

  // ---------------------------------------------------------------- deployed sign-in: Cognito hosted UI with PKCE
  // The browser sees a cognito config; the hosted UI's two endpoints are played here (page.route), checking
  // what the console sends: the code flow's parameters and a verifier whose SHA-256 is the challenge it sent.
  const cognito = await newPage();
  const hosted = 'https://auth.goalpost.test';
  const idToken = (await json('POST', '/_local/token', { userId: 'agent-ari', orgId: 'org-demo', roles: ['agent'], groups: [groupId], name: 'Ari Romero', ttlSeconds: 31_000_000 })).token;
  const seen = {};
  await cognito.route(`${base}/config.json`, (r) => r.fulfill({ json: { apiBaseUrl: '', auth: { mode: 'cognito', domain: hosted, clientId: 'console-client', redirectUri: `${base}/`, scopes: 'openid email profile' } } }));
  await cognito.route(`${hosted}/**`, async (r) => {
    const url = new URL(r.request().url());
    if (url.pathname === '/oauth2/authorize') {
      seen.authorize = Object.fromEntries(url.searchParams);
      return r.fulfill({ status: 302, headers: { location: `${base}/?code=the-code&state=${url.searchParams.get('state')}` } });
    }
    seen.token = Object.fromEntries(new URLSearchParams(r.request().postData()));
    return r.fulfill({ headers: { 'access-control-allow-origin': '*' }, json: { id_token: idToken, access_token: 'unused', refresh_token: 'r', token_type: 'Bearer', expires_in: 3600 } });
  });
  await cognito.goto(`${base}/`);
  await cognito.getByRole('button', { name: 'Sign in' }).click();
  await cognito.getByTestId('signout').waitFor();
  await cognito.getByRole('heading', { name: 'Your goals' }).waitFor();
  assert.equal(seen.authorize.response_type, 'code');
  assert.equal(seen.authorize.client_id, 'console-client');
  assert.equal(seen.authorize.redirect_uri, `${base}/`);
  assert.equal(seen.authorize.code_challenge_method, 'S256');
  assert.deepEqual([seen.token.grant_type, seen.token.code, seen.token.client_id, seen.token.redirect_uri], ['authorization_code', 'the-code', 'console-client', `${base}/`]);
  const { createHash } = await import('node:crypto');
  assert.equal(createHash('sha256').update(seen.token.code_verifier).digest('base64url'), seen.authorize.code_challenge);
  assert.ok(!cognito.url().includes('code='), 'the code leaves the address bar');
  log('Cognito PKCE sign-in checked');

  assert.deepEqual(consoleErrors, [], 'no script errors in the pages');
  log(`passed; screenshots in ${shots}`);
} catch (e) {
  exitCode = 1;
  console.error(`[e2e] FAILED: ${e.stack || e}`);
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) await p.screenshot({ path: join(shots, `failure-${Date.now()}.png`) }).catch(() => {});
  if (consoleErrors.length) console.error(`[e2e] page errors: ${consoleErrors.join(' | ')}`);
} finally {
  await browser.close();
}
process.exit(exitCode);

// Admin screens: groups and members, contacts with CSV import, goals (form, calendar, scripts, targeting,
// launch / pause / resume / duplicate), conversation review and goal stats.
import * as api from './api.js';
import { explain } from './problems.js';
import { parseCsv, toCsv, guessTarget, mapRows } from './csv.js';
import { countSegments, hasOptOutLanguage, parseScript } from './sms.js';
import { h, mount, notice, toast, name, when, pct } from './ui.js';

const field = (label, input, hint) => h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
const guard = (fn, errBox) => async (...a) => {
  try { await fn(...a); } catch (e) { if (errBox) mount(errBox, notice('error', explain(e))); else toast(explain(e), 'error'); }
};
const groupNav = (g, on) => h('nav', { class: 'tabs' },
  [['', 'Settings'], ['contacts', 'Contacts'], ['goals', 'Goals'], ['review', 'Conversations']].map(([p, label]) =>
    h('a', { href: `#/admin/group/${g.id}${p ? `/${p}` : ''}`, class: p === on ? 'on' : '' }, label)));

// ------------------------------------------------------------------ groups
export async function groups(root) {
  const list = await api.all((c) => api.listGroups(c));
  const err = h('div');
  const f = {
    name: h('input', { required: true, placeholder: 'Austin' }), timeZone: h('input', { value: 'America/Chicago' }),
    phones: h('input', { placeholder: '+15125550100' }),
  };
  const create = guard(async (ev) => {
    ev.preventDefault();
    const g = await api.createGroup({ name: f.name.value, timeZone: f.timeZone.value, phoneNumbers: f.phones.value.split(/[\s,]+/).filter(Boolean) });
    location.hash = `#/admin/group/${g.id}`;
  }, err);
  mount(root, h('h2', {}, 'Groups'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Group', 'Zone', 'Numbers', 'Hours', 'Daily cap'].map((x) => h('th', {}, x)))),
      h('tbody', {}, list.map((g) => h('tr', {},
        h('td', {}, h('a', { href: `#/admin/group/${g.id}/goals`, 'data-testid': 'group-link' }, g.name)), h('td', {}, g.timeZone),
        h('td', {}, g.phoneNumbers.join(', ')), h('td', {}, `${g.hoursOfOperation.start}–${g.hoursOfOperation.end}`), h('td', {}, g.dailySegmentCap))))),
    h('form', { class: 'card', onsubmit: create }, h('h3', {}, 'New group'), field('Name', f.name), field('Time zone (IANA)', f.timeZone),
      field('Texting numbers (E.164)', f.phones), h('button', { class: 'primary' }, 'Create group'), err));
}

export async function group(root, groupId) {
  const [g, members] = await Promise.all([api.getGroup(groupId), api.all((c) => api.listMembers(groupId, c))]);
  const err = h('div');
  const i = {
    name: h('input', { value: g.name }), timeZone: h('input', { value: g.timeZone }), phones: h('input', { value: g.phoneNumbers.join(', ') }),
    start: h('input', { type: 'time', value: g.hoursOfOperation.start }), end: h('input', { type: 'time', value: g.hoursOfOperation.end }),
    unread: h('input', { type: 'number', min: 1, value: g.unreadClaimMinutes }), response: h('input', { type: 'number', min: 1, value: g.responseWindowMinutes }),
    cap: h('input', { type: 'number', min: 1, value: g.dailySegmentCap }),
  };
  const save = guard(async (ev) => {
    ev.preventDefault();
    await api.patchGroup(groupId, {
      name: i.name.value, timeZone: i.timeZone.value, phoneNumbers: i.phones.value.split(/[\s,]+/).filter(Boolean),
      hoursOfOperation: { start: i.start.value, end: i.end.value }, unreadClaimMinutes: Number(i.unread.value),
      responseWindowMinutes: Number(i.response.value), dailySegmentCap: Number(i.cap.value),
    });
    toast('Group saved.', 'ok');
  }, err);
  const newUser = h('input', { placeholder: 'user id (Cognito sub)' });
  const newRole = h('select', {}, ['agent', 'manager'].map((r) => h('option', { value: r }, r)));
  const add = guard(async (ev) => { ev.preventDefault(); await api.putMember(groupId, newUser.value.trim(), newRole.value); group(root, groupId); }, err);
  mount(root, h('h2', {}, g.name), groupNav(g, ''),
    h('div', { class: 'split' },
      h('form', { class: 'card', onsubmit: save }, h('h3', {}, 'Settings'),
        field('Name', i.name), field('Time zone', i.timeZone, 'Its "location": hours and dates are in this zone.'), field('Texting numbers', i.phones),
        h('div', { class: 'row' }, field('Hours open', i.start), field('until', i.end)),
        field('Unread claim window (minutes)', i.unread), field('Response window (minutes)', i.response, 'How long a thread stays with the agent who answered.'),
        field('Daily segment cap (10DLC)', i.cap), h('button', { class: 'primary' }, 'Save'), err),
      h('section', { class: 'card' }, h('h3', {}, `Members (${members.length})`),
        h('table', {}, h('tbody', {}, members.map((m) => h('tr', {}, h('td', {}, m.userId), h('td', {}, m.role),
          h('td', {}, h('button', { class: 'link', onclick: guard(async () => { await api.removeMember(groupId, m.userId); group(root, groupId); }) }, 'remove')))))),
        h('form', { class: 'row', onsubmit: add }, newUser, newRole, h('button', {}, 'Add')))));
}

// ------------------------------------------------------------------ contacts + CSV import
export async function contacts(root, groupId, { q = '', tag = '' } = {}) {
  const g = await api.getGroup(groupId);
  const members = await api.all((c) => api.listMembers(groupId, c));
  const agents = members.filter((m) => m.role === 'agent').map((m) => m.userId);
  const search = h('input', { type: 'search', placeholder: 'Search name or phone', value: q, 'data-testid': 'contact-search' });
  const tagBox = h('input', { placeholder: 'tag', value: tag });
  const table = h('tbody');
  let cursor = null;
  let latest = 0; // only the newest search draws (an import's refresh may finish after a search)
  const load = async (more = false) => {
    const mine = ++latest;
    // A page may hold few (or no) matches and a cursor: keep reading until a screenful or the end (bounded).
    const items = [];
    let next = more ? cursor : undefined;
    for (let pages = 0; pages < 100 && items.length < 25; pages++) {
      const page = await api.listContacts(groupId, { q: search.value.trim(), tag: tagBox.value.trim(), cursor: next });
      if (mine !== latest) return;
      items.push(...page.items);
      next = page.nextCursor;
      if (!next) break;
    }
    cursor = next;
    const rows = items.map((c) => {
      const assign = h('select', { onchange: guard(async () => { await api.patchContact(groupId, c.id, { assignedAgentId: assign.value || null }); toast('Assignment saved.', 'ok'); }) },
        h('option', { value: '' }, 'unassigned'), agents.map((a) => h('option', { value: a, selected: c.assignedAgentId === a }, a)));
      const addTag = guard(async () => { const t = prompt('Add tag'); if (t) { await api.patchContact(groupId, c.id, { addTags: [t] }); load(); } });
      return h('tr', { class: c.optedOut ? 'opted-out' : '' }, h('td', {}, name(c)), h('td', {}, c.phone), h('td', {}, (c.tags || []).join(', '), ' ', h('button', { class: 'link', onclick: addTag }, '+')),
        h('td', {}, Object.entries(c.customFields || {}).map(([k, v]) => `${k}: ${v}`).join('; ')), h('td', {}, assign),
        h('td', {}, c.optedOut ? 'opted out' : h('button', { class: 'link', onclick: guard(async () => { if (confirm(`Opt ${name(c)} out?`)) { await api.patchContact(groupId, c.id, { optedOut: true }); load(); } }) }, 'opt out')));
    });
    if (more) table.append(...rows); else mount(table, rows);
    moreBtn.hidden = !cursor;
  };
  const moreBtn = h('button', { onclick: () => load(true) }, 'More');
  mount(root, h('h2', {}, `${g.name} · contacts`), groupNav(g, 'contacts'),
    importer(groupId, agents, () => load()),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } }, search, tagBox, h('button', {}, 'Search')),
    h('table', { 'data-testid': 'contacts' }, h('thead', {}, h('tr', {}, ['Name', 'Phone', 'Tags', 'Fields', 'Assigned', ''].map((x) => h('th', {}, x)))), table),
    moreBtn);
  await load();
}

const TARGETS = ['phone', 'firstName', 'lastName', 'tags', 'assignedAgentId', 'timeZone', 'ignore'];

function importer(groupId, agents, reload) {
  const box = h('section', { class: 'card import', 'data-testid': 'importer' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', 'data-testid': 'csv-file' });
  const stage = h('div');
  mount(box, h('h3', {}, 'Import contacts from CSV'), h('p', { class: 'muted' }, 'Phone is required; tags split on ; or |; timeZone is an IANA zone (America/Chicago), else the number\'s area decides. Rows go up in chunks of 1,000; existing phones are updated.'), file, stage);
  file.addEventListener('change', async () => {
    const text = await file.files[0].text();
    const rows = parseCsv(text);
    if (rows.length < 2) { mount(stage, notice('error', 'The file needs a header row and at least one contact.')); return; }
    const [header, ...data] = rows;
    const selects = header.map((col) => {
      const guess = guessTarget(col);
      return h('select', { 'data-column': col },
        [...TARGETS, `custom:${col.trim()}`].filter((v, i, a) => a.indexOf(v) === i).map((t) => h('option', { value: t, selected: t === guess }, t.startsWith('custom:') ? `custom field “${t.slice(7)}”` : t)));
    });
    const result = h('div');
    const start = guard(async () => {
      const mapping = selects.map((s) => s.value);
      const { rows: ready, problems } = mapRows(data, mapping);
      const bar = h('div', { class: 'bar', style: 'width:0%' });
      const label = h('span', {}, `0 of ${ready.length}`);
      mount(result, h('div', { class: 'progress', 'data-testid': 'import-progress' }, bar), label);
      const errors = problems.map((p) => ({ ...p }));
      const totals = { created: 0, updated: 0, duplicates: 0, invalid: problems.length, failed: 0 };
      for (let i = 0; i < ready.length; i += api.IMPORT_CHUNK) {
        const chunk = ready.slice(i, i + api.IMPORT_CHUNK);
        const res = await api.importContacts(groupId, chunk.map((r) => r.contact));
        for (const k of ['created', 'updated', 'duplicates', 'invalid', 'failed']) totals[k] += res[k];
        for (const row of res.rows) {
          const line = chunk[row.index].line;
          if (row.status === 'invalid' || row.status === 'failed') for (const e of row.errors || [{ field: '', message: row.status }]) errors.push({ line, field: e.field, message: e.message });
          if (row.status === 'duplicate') errors.push({ line, field: 'phone', message: `same phone as an earlier row of this chunk (${chunk[row.duplicateOf].line})` });
        }
        const done = Math.min(i + api.IMPORT_CHUNK, ready.length);
        bar.style.width = `${(100 * done) / ready.length}%`;
        label.textContent = `${done} of ${ready.length}`;
      }
      const csv = toCsv([['line', 'field', 'problem'], ...errors.sort((a, b) => a.line - b.line).map((e) => [e.line, e.field, e.message])]);
      mount(result, h('div', { class: 'progress' }, h('div', { class: 'bar', style: 'width:100%' })),
        h('p', { 'data-testid': 'import-summary' }, `Imported: ${totals.created} created, ${totals.updated} updated, ${totals.duplicates} duplicates, ${totals.invalid} invalid, ${totals.failed} failed.`),
        errors.length ? h('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'import-errors.csv', 'data-testid': 'import-errors' }, `Download ${errors.length} row problem${errors.length === 1 ? '' : 's'} (CSV)`) : null);
      reload();
    }, result);
    mount(stage, h('p', {}, `${data.length} rows. Map the columns:`),
      h('table', { class: 'mapping' }, h('tbody', {}, header.map((col, i) => h('tr', {}, h('td', {}, col), h('td', {}, selects[i]), h('td', { class: 'muted' }, data[0][i] ?? ''))))),
      h('button', { class: 'primary', 'data-testid': 'import-start', onclick: start }, `Validate and import ${data.length} rows`), result);
  });
  return box;
}

// ------------------------------------------------------------------ goals
const TYPE_DATE = { EVENT: ['eventStartAt', 'Event starts'], SHIFT: ['shiftStartAt', 'Shift starts'], TARGET_DATE: ['targetDate', 'Target date'], FUNDRAISING: ['targetDate', 'Target date (optional)'], CUSTOM: null };
const local = (zoned) => (zoned ? zoned.slice(0, 16) : ''); // the API shows dates in the group's zone: keep wall time

export async function goals(root, groupId) {
  const g = await api.getGroup(groupId);
  const list = await api.all((c) => api.listGoals(groupId, c));
  const err = h('div');
  const nameBox = h('input', { placeholder: 'Rally on the 20th', 'data-testid': 'new-goal-name', required: true });
  const type = h('select', { 'data-testid': 'new-goal-type' }, Object.keys(TYPE_DATE).map((t) => h('option', { value: t }, t)));
  const create = guard(async (ev) => {
    ev.preventDefault();
    const goal = await api.createGoal(groupId, { type: type.value, name: nameBox.value });
    location.hash = `#/admin/goal/${goal.id}`;
  }, err);
  mount(root, h('h2', {}, `${g.name} · goals`), groupNav(g, 'goals'),
    h('form', { class: 'row card', onsubmit: create }, nameBox, type, h('button', { class: 'primary', 'data-testid': 'new-goal' }, 'New goal'), err),
    h('table', {}, h('thead', {}, h('tr', {}, ['Goal', 'Type', 'Status', 'Reach out', ''].map((x) => h('th', {}, x)))),
      h('tbody', {}, list.map((x) => h('tr', {}, h('td', {}, h('a', { href: `#/admin/goal/${x.id}` }, x.name)), h('td', {}, x.type),
        h('td', {}, h('span', { class: `status ${x.status}` }, x.status)), h('td', {}, `${when(x.workflowsAvailableAt, x.timeZone)} → ${when(x.workflowsCloseAt, x.timeZone)}`),
        h('td', {}, x.status !== 'DRAFT' ? h('a', { href: `#/admin/goal/${x.id}/stats` }, 'stats') : null))))));
}

function scriptEditor(kind, scripts, { needsOptOut, maxSegments, maxChars }) {
  const wrap = h('div', { class: 'scripts', 'data-kind': kind });
  const items = [];
  const add = (s = { body: '' }) => {
    const ta = h('textarea', { rows: 3, 'data-testid': `script-${kind}`, value: s.body });
    const info = h('small', {});
    const update = () => {
      const body = ta.value;
      const c = countSegments(body);
      const problems = parseScript(body).problems;
      if (needsOptOut && body && !hasOptOutLanguage(body)) problems.push('needs opt-out language, e.g. "Reply STOP to opt out"');
      if (maxSegments && c.segments > maxSegments) problems.push(`at most ${maxSegments} segments`);
      if (maxChars && [...body].length > maxChars) problems.push(`at most ${maxChars} characters`);
      mount(info, `${c.segments} segment${c.segments === 1 ? '' : 's'} · ${c.encoding === 'GSM7' ? 'GSM-7' : 'UCS-2'} · ${c.units} units (merge fields counted as written; the server checks the worst case)`,
        problems.length ? h('span', { class: 'warn' }, ` · ${problems.join('; ')}`) : null);
    };
    ta.addEventListener('input', update);
    update();
    const item = { id: s.id, ta, el: h('div', { class: 'script' }, ta, info, h('button', { type: 'button', class: 'link', onclick: () => { items.splice(items.indexOf(item), 1); item.el.remove(); } }, 'remove')) };
    items.push(item);
    adder.before(item.el);
  };
  const adder = h('button', { type: 'button', onclick: () => add() }, '+ script');
  wrap.append(adder);
  scripts.forEach(add);
  if (!scripts.length && kind === 'initial') add();
  return { el: wrap, value: () => items.filter((i) => i.ta.value.trim()).map((i) => (i.id ? { id: i.id, body: i.ta.value } : { body: i.ta.value })) };
}

function calendar(goal) {
  const points = [
    ['Reach out', goal.calendar.reachOut.from, goal.calendar.reachOut.to],
    goal.calendar.reminders ? ['Reminders', goal.calendar.reminders.from, goal.calendar.reminders.to] : null,
    ...['eventStartAt', 'shiftStartAt', 'targetDate'].filter((k) => goal.calendar[k]).map((k) => [k === 'eventStartAt' ? 'Event' : k === 'shiftStartAt' ? 'Shift' : 'Target date', goal.calendar[k], null]),
  ].filter(Boolean).filter((p) => p[1]);
  if (!points.length) return h('p', { class: 'muted' }, 'Set the dates to see the calendar.');
  const times = points.flatMap((p) => [p[1], p[2]]).filter(Boolean).map((t) => Date.parse(t));
  const min = Math.min(...times);
  const span = Math.max(Math.max(...times) - min, 3600e3);
  const x = (t) => `${(95 * (Date.parse(t) - min)) / span}%`;
  return h('div', { class: 'calendar', 'data-testid': 'calendar' }, points.map(([label, from, to]) => h('div', { class: 'lane' },
    h('span', { class: 'lane-label' }, label),
    h('div', { class: 'track' }, to ? h('div', { class: 'span', style: `left:${x(from)};width:calc(${x(to)} - ${x(from)} + 2px)` }) : h('div', { class: 'dot', style: `left:${x(from)}` })),
    h('small', {}, to ? `${when(from, goal.timeZone)} → ${when(to, goal.timeZone)}` : when(from, goal.timeZone)))));
}

export async function goal(root, goalId) {
  const gl = await api.getGoal(goalId);
  const g = await api.getGroup(gl.groupId);
  const draft = gl.status === 'DRAFT';
  const err = h('div');
  const dateKey = TYPE_DATE[gl.type];
  const i = {
    name: h('input', { value: gl.name }), description: h('textarea', { rows: 2, value: gl.description || '' }),
    typeDate: dateKey ? h('input', { type: 'datetime-local', value: local(gl[dateKey[0]]), 'data-testid': 'goal-type-date' }) : null,
    strategy: h('select', {}, ['ANYONE', 'ASSIGNED'].map((s) => h('option', { value: s, selected: gl.assignmentStrategy === s }, s))),
    instructions: h('textarea', { rows: 2, maxlength: 300, value: gl.agentInstructions || '', 'data-testid': 'goal-instructions' }),
    from: h('input', { type: 'datetime-local', value: local(gl.workflowsAvailableAt), 'data-testid': 'goal-from' }),
    to: h('input', { type: 'datetime-local', value: local(gl.workflowsCloseAt), 'data-testid': 'goal-to' }),
    reminders: h('input', { type: 'checkbox', checked: gl.remindersEnabled, disabled: !draft }),
    rFrom: h('input', { type: 'datetime-local', value: local(gl.remindersAvailableAt) }), rTo: h('input', { type: 'datetime-local', value: local(gl.remindersCloseAt) }),
    hasAll: h('input', { value: gl.targeting.tags.hasAll.join(', '), disabled: !draft }), hasAny: h('input', { value: gl.targeting.tags.hasAny.join(', '), disabled: !draft, 'data-testid': 'target-has-any' }),
    hasNone: h('input', { value: gl.targeting.tags.hasNone.join(', '), disabled: !draft }),
    cf: h('input', { value: gl.targeting.customFields.map((c) => `${c.field} ${c.op} ${(c.values || []).join('|')}`.trim()).join('; '), disabled: !draft, placeholder: 'county IS_ANY_OF Travis|Hays; neighborhood HAS_ANY_VALUE' }),
  };
  const scripts = {
    initial: scriptEditor('initial', gl.scripts.initial, { needsOptOut: true, maxSegments: 57 }),
    response: scriptEditor('response', gl.scripts.response, {}),
    additionalResponse: scriptEditor('additionalResponse', gl.scripts.additionalResponse, {}),
    reminder: scriptEditor('reminder', gl.scripts.reminder, { needsOptOut: true, maxChars: 500 }),
  };
  const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
  const estimate = h('p', { 'data-testid': 'estimate' });
  const refreshEstimate = async () => {
    const e = await api.estimateTargeting(goalId).catch(() => null);
    mount(estimate, e ? `About ${e.estimate} of ${e.contactsInGroup} contacts match (as of ${when(e.asOf)}; fixed when the goal becomes active).` : '');
  };
  function body() {
    const b = {
      name: i.name.value, description: i.description.value || null, assignmentStrategy: i.strategy.value, agentInstructions: i.instructions.value || null,
      workflowsAvailableAt: i.from.value || null, workflowsCloseAt: i.to.value || null,
      scripts: Object.fromEntries(Object.entries(scripts).map(([k, s]) => [k, s.value()])),
    };
    if (dateKey) b[dateKey[0]] = i.typeDate.value || null;
    if (draft) {
      b.remindersEnabled = i.reminders.checked;
      b.targeting = {
        tags: { hasAll: list(i.hasAll.value), hasAny: list(i.hasAny.value), hasNone: list(i.hasNone.value) },
        customFields: i.cf.value.split(';').map((s) => s.trim()).filter(Boolean).map((s) => {
          const [f, op, vals] = s.split(/\s+(IS_ANY_OF|IS_NOT_ANY_OF|HAS_ANY_VALUE|IS_BLANK)\s*/);
          return op === 'IS_ANY_OF' || op === 'IS_NOT_ANY_OF' ? { field: f, op, values: (vals || '').split('|').filter(Boolean) } : { field: f, op };
        }),
        goalResults: gl.targeting.goalResults,
      };
    }
    if (i.reminders.checked) { b.remindersAvailableAt = i.rFrom.value || null; b.remindersCloseAt = i.rTo.value || null; }
    return b;
  }
  const save = guard(async (ev) => { ev?.preventDefault(); await api.patchGoal(goalId, body()); toast('Goal saved.', 'ok'); await goal(root, goalId); }, err);
  const act = (label, fn, testid, cls = '') => h('button', { type: 'button', class: cls, 'data-testid': testid, onclick: guard(async () => { await fn(); await goal(root, goalId); }, err) }, label);
  const groupsForDup = await api.all((c) => api.listGroups(c)).catch(() => []);
  const dupTarget = h('select', { multiple: true, size: Math.min(4, groupsForDup.length) }, groupsForDup.map((x) => h('option', { value: x.id, selected: x.id === gl.groupId }, x.name)));
  const duplicate = guard(async () => {
    const ids = [...dupTarget.selectedOptions].map((o) => o.value);
    const r = await api.duplicateGoal(goalId, ids, `${gl.name} (copy)`);
    const problems = r.duplicates.flatMap((d) => d.problems.map((p) => `${p.field}: ${p.message}`));
    toast(`Duplicated into ${r.duplicates.length} group(s).${problems.length ? ` To fix before launch: ${problems.join('; ')}` : ''}`, 'ok');
  }, err);

  mount(root,
    h('div', { class: 'batch-head' }, h('a', { href: `#/admin/group/${g.id}/goals` }, `← ${g.name}`), h('h2', {}, gl.name), h('span', { class: `status ${gl.status}`, 'data-testid': 'goal-status' }, gl.status)),
    h('div', { class: 'actions' },
      draft ? act('Launch', () => api.launchGoal(goalId), 'launch', 'primary') : null,
      ['SCHEDULED', 'ACTIVE'].includes(gl.status) ? act('Pause', () => api.pauseGoal(goalId), 'pause') : null,
      gl.status === 'PAUSED' ? act('Resume', () => api.resumeGoal(goalId), 'resume', 'primary') : null,
      !draft ? h('a', { class: 'button', href: `#/admin/goal/${goalId}/stats`, 'data-testid': 'stats-link' }, 'Stats') : null,
      draft ? act('Delete draft', async () => { if (confirm('Delete this draft?')) { await api.deleteGoal(goalId); location.hash = `#/admin/group/${g.id}/goals`; } }, 'delete', 'danger') : null),
    err,
    h('h3', {}, 'Calendar'), calendar(gl),
    h('form', { class: 'goal-form', onsubmit: save },
      h('section', { class: 'card' }, h('h3', {}, `${gl.type} goal`),
        field('Name', i.name), field('Description (admins only)', i.description),
        dateKey ? field(`${dateKey[1]} (${g.timeZone})`, i.typeDate) : null,
        field('Who texts whom', i.strategy, 'ANYONE: unassigned contacts, first come first served. ASSIGNED: each contact\'s assigned agent.'),
        field('Agent instructions (≤ 300 characters; links welcome)', i.instructions)),
      h('section', { class: 'card' }, h('h3', {}, 'Step 1: reach out'),
        h('div', { class: 'row' }, field(`Opens (${g.timeZone})`, i.from), field('Closes (at most 31 days later)', i.to)),
        h('h3', {}, 'Step 2: reminders'), h('label', { class: 'check' }, i.reminders, ' Send reminders to contacts marked Yes', !draft ? ' (fixed at launch)' : ''),
        h('div', { class: 'row' }, field('Opens', i.rFrom), field('Closes', i.rTo))),
      h('section', { class: 'card' }, h('h3', {}, 'Scripts'),
        h('h4', {}, 'Initial (needs opt-out language, ≤ 57 segments)'), scripts.initial.el,
        h('h4', {}, 'Responses'), scripts.response.el, h('h4', {}, 'Additional responses'), scripts.additionalResponse.el,
        h('h4', {}, 'Reminders (needs opt-out language, ≤ 500 characters)'), scripts.reminder.el,
        h('p', { class: 'muted' }, 'Merge fields: <first name|fallback>, <last name>, <agent name>, <group name>, the type\'s date and time (<event date>, <event time>…), custom fields by name.')),
      h('section', { class: 'card' }, h('h3', {}, `Targeting${draft ? '' : ' (locked at launch)'}`),
        field('Has all tags', i.hasAll), field('Has any tag', i.hasAny), field('Has none of the tags', i.hasNone), field('Custom fields', i.cf),
        estimate),
      h('button', { class: 'primary', 'data-testid': 'save-goal' }, 'Save')),
    h('section', { class: 'card' }, h('h3', {}, 'Duplicate'), h('p', { class: 'muted' }, 'Copies go to the drafts of the chosen groups.'), dupTarget, h('button', { type: 'button', onclick: duplicate }, 'Duplicate')));
  await refreshEstimate();
}

// ------------------------------------------------------------------ stats
const bars = (rows, testid) => {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  return h('div', { class: 'chart', 'data-testid': testid }, rows.map(([label, v, cls]) => h('div', { class: 'chart-row' },
    h('span', { class: 'chart-label' }, label), h('div', { class: 'chart-track' }, h('div', { class: `chart-bar ${cls || ''}`, style: `width:${(100 * v) / max}%` })), h('span', { class: 'chart-value' }, v))));
};

export async function stats(root, goalId) {
  const [gl, s] = await Promise.all([api.getGoal(goalId), api.goalStats(goalId)]);
  const tile = (label, v, testid) => h('div', { class: 'tile', 'data-testid': testid }, h('strong', {}, v), h('span', {}, label));
  mount(root,
    h('div', { class: 'batch-head' }, h('a', { href: `#/admin/goal/${goalId}` }, `← ${gl.name}`), h('h2', {}, 'Stats'), h('span', { class: `status ${gl.status}` }, gl.status)),
    h('p', { class: 'muted' }, `As of ${when(s.asOf)}.`),
    h('div', { class: 'tiles' },
      tile('targeted', s.targeted, 'stat-targeted'), tile('messaged', s.contacts.messaged, 'stat-messaged'), tile('remaining', s.contacts.remaining, 'stat-remaining'),
      tile('replies', s.replies, 'stat-replies'), tile('response rate', pct(s.responseRate), 'stat-rate'), tile('yes', s.yes, 'stat-yes'), tile('no', s.no, 'stat-no'),
      tile('opted out', s.optedOut, 'stat-optout'), tile('segments sent', s.segmentsSent, 'stat-segments'), tile('reminders sent', s.remindersSent, 'stat-reminders')),
    h('div', { class: 'split' },
      h('section', { class: 'card' }, h('h3', {}, 'Contacts'), bars([['messaged', s.contacts.messaged, 'ok'], ['remaining', s.contacts.remaining]], 'chart-contacts'),
        h('h3', {}, 'Replies and results'), bars([['responders', s.responders ?? s.replies, 'ok'], ['yes', s.yes, 'ok'], ['no', s.no, 'bad'], ['opted out', s.optedOut, 'bad']], 'chart-results'),
        h('h3', {}, 'Batches'), bars([['total', s.batches.total], ['available', s.batches.available], ['claimed', s.batches.claimed], ['done', s.batches.done, 'ok']], 'chart-batches')),
      h('section', { class: 'card' }, h('h3', {}, 'Per agent'),
        h('table', { 'data-testid': 'per-agent' }, h('thead', {}, h('tr', {}, ['Agent', 'Messaged', 'Replies', 'Yes', 'No', 'Opt-outs', 'Segments'].map((x) => h('th', {}, x)))),
          h('tbody', {}, s.perAgent.map((a) => h('tr', {}, [a.agentId, a.messaged, a.replies, a.yes, a.no, a.optedOut, a.segmentsSent].map((v) => h('td', {}, v)))))),
        bars(s.perAgent.map((a) => [a.agentId, a.messaged, 'ok']), 'chart-agents'))));
}

// ------------------------------------------------------------------ conversation review
export async function review(root, groupId, params = {}) {
  const g = await api.getGroup(groupId);
  const members = await api.all((c) => api.listMembers(groupId, c));
  const agent = h('select', { 'data-testid': 'review-agent' }, members.map((m) => h('option', { value: m.userId, selected: m.userId === params.agentId }, `${m.userId} (${m.role})`)));
  const filter = h('select', {}, ['all', 'unresponded'].map((f) => h('option', { value: f, selected: f === params.filter }, f === 'all' ? 'All' : 'Unresponded')));
  const qBox = h('input', { type: 'search', placeholder: 'name', value: params.q || '' });
  const tag = h('input', { placeholder: 'tag', value: params.tag || '' });
  const list = h('nav', { class: 'thread-list' });
  const pane = h('section', { class: 'work' });
  const load = guard(async () => {
    const page = { items: await api.all((cursor) => api.reviewConversations(groupId, { agentId: agent.value, filter: filter.value, q: qBox.value.trim(), tag: tag.value.trim(), cursor }), 10) };
    mount(list, page.items.length ? page.items.map((c) => h('button', { class: `thread-item ${c.unread ? 'unread' : ''}`, 'data-testid': 'review-item', onclick: () => open(c.threadId) },
      `${c.unread ? '● ' : ''}${name(c.contact)}${c.unresponded ? ' · waiting' : ''} · ${when(c.lastMessageAt)}`)) : h('p', { class: 'muted' }, 'No conversations.'));
  });
  const open = guard(async (threadId) => {
    const t = await api.reviewThread(threadId);
    const assignTo = h('select', {}, h('option', { value: '' }, 'unassigned'), members.filter((m) => m.role === 'agent').map((m) => h('option', { value: m.userId, selected: t.contact.assignedAgentId === m.userId }, m.userId)));
    mount(pane, h('h3', {}, name(t.contact)), h('p', { class: 'muted' }, `${t.contact.phone} · agents: ${t.agents.join(', ') || '—'}${t.holderAgentId ? ` · held by ${t.holderAgentId} until ${when(t.holdUntil)}` : ''}`),
      h('ol', { class: 'messages' }, t.messages.map((m) => h('li', { class: m.direction === 'INBOUND' ? 'in' : 'out' }, h('p', {}, m.body), h('small', {}, `${when(m.createdAt)}${m.agentId ? ` · ${m.agentId}` : ''}`)))),
      h('div', { class: 'row' }, assignTo, h('button', { onclick: guard(async () => { await api.assignThread(threadId, assignTo.value || null); toast('Assignment saved.', 'ok'); }) }, 'Assign'),
        h('button', { onclick: guard(async () => { const x = prompt('Add tag'); if (x) { await api.patchContact(t.groupId, t.contact.id, { addTags: [x] }); toast('Tagged.', 'ok'); } }) }, 'Tag'),
        t.contact.optedOut ? h('span', { class: 'warn' }, 'opted out') : h('button', { class: 'danger', onclick: guard(async () => { if (confirm('Opt out?')) { await api.patchContact(t.groupId, t.contact.id, { optedOut: true }); open(threadId); } }) }, 'Opt out')),
      h('p', { class: 'muted' }, 'Admins review conversations; agents do the texting.'));
  });
  mount(root, h('h2', {}, `${g.name} · conversations`), groupNav(g, 'review'),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } }, agent, filter, qBox, tag, h('button', {}, 'Show')),
    h('div', { class: 'split' }, pane, list));
  await load();
}

// Agent screens: home (open work per goal), the batch screen (keyboard-first), replies and threads.
import * as api from './api.js';
import { explain } from './problems.js';
import { countSegments, renderScript, contactValues, offending } from './sms.js';
import { h, mount, notice, toast, name, when, linkify } from './ui.js';

let me = null; // session claims, set by the router
let workflows = null; // last GET /me/workflows, for scripts and merge values per goal
export function setUser(claims) { me = claims; workflows = null; }

async function loadWorkflows(force = false) {
  if (!workflows || force) workflows = await api.myWorkflows();
  return workflows;
}
const goalEntry = async (goalId) => (await loadWorkflows()).goals.find((g) => g.goalId === goalId)
  || (await loadWorkflows(true)).goals.find((g) => g.goalId === goalId);

function counter(text) {
  const c = countSegments(text);
  const bad = offending(text);
  return h('div', { class: 'counter', 'data-testid': 'segments' },
    h('strong', {}, `${c.segments} segment${c.segments === 1 ? '' : 's'}`),
    ` · ${c.encoding === 'GSM7' ? 'GSM-7' : 'UCS-2'} · ${c.units} / ${c.segments > 1 ? c.segments * c.perPart : c.perPart}`,
    bad.length ? h('span', { class: 'warn' }, ` · UCS-2 because of ${bad.map((x) => `“${x}”`).join(' ')}`) : null);
}

// ------------------------------------------------------------------ home
export async function home(root) {
  mount(root, h('p', {}, 'Loading your work…'));
  // API pages may be short (or empty) with a cursor: read up to 5 pages of unread conversations.
  const [data, unreadItems] = await Promise.all([loadWorkflows(true), api.all((c) => api.myConversations('unread', c), 5)]);
  const mine = { items: unreadItems };
  const unreadCount = `${unreadItems.length}`;
  const cards = data.goals.map((g) => {
    const flow = (kind, label, unitLabel) => {
      const w = g.workflows[kind];
      if (unitLabel === 'batches' && w.waiting === 1) unitLabel = 'batch';
      return h('button', {
        class: w.open && w.waiting > 0 ? 'primary' : '', disabled: !w.open,
        'data-testid': `start-${kind}-${g.goalId}`,
        onclick: () => { location.hash = kind === 'unread' ? `#/agent/replies/${g.goalId}` : `#/agent/batch/${g.goalId}/${kind}`; },
      }, `${label} (${w.waiting} ${unitLabel})`);
    };
    return h('article', { class: 'card goal-card', 'data-goal': g.goalId },
      h('header', {}, h('h3', {}, g.name), h('span', { class: `status ${g.status}` }, g.status)),
      h('p', { class: 'muted' }, `${g.groupName || g.groupId} · ${g.type} · ${g.assignmentStrategy === 'ASSIGNED' ? 'your assigned contacts' : 'open to anyone'}`),
      g.agentInstructions ? h('p', { class: 'instructions' }, linkify(g.agentInstructions)) : null,
      !g.hoursOpen ? notice('warn', `Outside texting hours (${g.hoursOfOperation.start}–${g.hoursOfOperation.end} group time).`) : null,
      g.dailySegments.capReached ? notice('error', 'The group reached its daily texting limit; first texts resume tomorrow.')
        : g.dailySegments.warning ? notice('warn', `The group used ${g.dailySegments.used} of ${g.dailySegments.cap} segments today.`) : null,
      h('div', { class: 'actions' }, flow('initial', 'Start texting', 'batches'), flow('reminders', 'Send reminders', 'batches'), flow('unread', 'Reply to unread', 'waiting')));
  });
  mount(root,
    h('h2', {}, 'Your goals'),
    h('p', { class: 'muted' }, 'Pick up a batch of up to 100 contacts, or answer the replies waiting for you.'),
    h('div', { class: 'card row' },
      h('strong', {}, mine.items.length ? `${unreadCount} ${mine.items.length === 1 ? 'person' : 'people'} you texted replied` : 'No unread replies to your texts'),
      h('a', { class: 'button primary', href: '#/agent/conversations/unread', 'data-testid': 'my-unread' }, `Answer your replies (${unreadCount})`),
      h('a', { href: '#/agent/conversations/all' }, 'All your conversations')),
    cards.length ? h('div', { class: 'grid' }, cards) : notice('info', 'No launched goals in your groups yet.'));
}

// ------------------------------------------------------------------ batch screen
const batches = new Map(); // goalId/workflow -> {claim, index, sent:Set, skipped:Set, contacts:Map}

export async function batch(root, goalId, workflow) {
  mount(root, h('p', {}, 'Claiming a batch…'));
  const goal = await goalEntry(goalId);
  if (!goal) { mount(root, notice('error', 'That goal is not open to you.')); return; }
  const key = `${goalId}/${workflow}`;
  let state = batches.get(key);
  if (!state) {
    try {
      const claimed = await api.claim(goalId, workflow);
      state = { claim: claimed, index: 0, sent: new Set(), skipped: new Set(), contacts: new Map(), scriptIndex: 0 };
      batches.set(key, state);
    } catch (e) {
      mount(root, h('h2', {}, goal.name), notice('error', explain(e)), h('a', { href: '#/agent' }, '← Back to your goals'));
      return;
    }
  }
  const scripts = workflow === 'reminders' ? goal.goalScripts.reminder : goal.goalScripts.initial;
  const contacts = state.claim.contacts;
  const panel = h('section', { class: 'work' });
  const side = h('aside', { class: 'side' },
    h('h3', {}, 'Instructions'),
    h('p', { class: 'instructions' }, linkify(state.claim.agentInstructions || goal.agentInstructions || 'No instructions for this goal.')),
    h('p', { class: 'muted' }, `Batch held for you until ${when(state.claim.leaseExpiresAt, goal.timeZone)}.`),
    h('h3', {}, 'Keys'),
    h('dl', { class: 'keys' },
      h('dt', {}, 'Enter'), h('dd', {}, 'send and go to the next'),
      h('dt', {}, 'S or →'), h('dd', {}, 'skip'), h('dt', {}, '←'), h('dd', {}, 'previous'),
      h('dt', {}, '1–9'), h('dd', {}, 'choose a script'), h('dt', {}, 'Esc'), h('dd', {}, 'release the batch')),
    h('button', { 'data-testid': 'release', onclick: release }, 'Release unsent contacts'));
  mount(root, h('div', { class: 'batch-head' }, h('a', { href: '#/agent' }, '← Goals'), h('h2', {}, `${goal.name} · ${workflow === 'reminders' ? 'reminders' : 'first texts'}`)),
    h('div', { class: 'split' }, panel, side));

  let busy = false;
  async function contactAt(i) {
    const entry = contacts[i];
    if (!state.contacts.has(entry.contactId)) {
      try { state.contacts.set(entry.contactId, await api.getContact(goal.groupId, entry.contactId)); } catch { state.contacts.set(entry.contactId, entry); }
    }
    return state.contacts.get(entry.contactId);
  }

  async function draw() {
    const done = state.sent.size + state.skipped.size;
    if (state.index >= contacts.length) {
      mount(panel, h('div', { class: 'done', 'data-testid': 'batch-done' },
        h('h3', {}, 'Batch finished'),
        h('p', {}, `${state.sent.size} texted, ${state.skipped.size} skipped of ${contacts.length}.`),
        h('div', { class: 'actions' },
          h('button', { class: 'primary', onclick: () => { batches.delete(key); batch(root, goalId, workflow); } }, 'Claim another batch'),
          h('a', { href: '#/agent' }, 'Back to goals'))));
      return;
    }
    const entry = contacts[state.index];
    const contact = await contactAt(state.index);
    const script = scripts[state.scriptIndex] || scripts[0];
    const text = script ? renderScript(script.body, contactValues(contact, me.name, goal.mergeValues)) : '';
    const status = state.sent.has(entry.contactId) ? 'sent' : state.skipped.has(entry.contactId) ? 'skipped' : null;
    mount(panel,
      h('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': done, 'aria-valuemax': contacts.length },
        h('div', { class: 'bar', style: `width:${(100 * done) / contacts.length}%` })),
      h('p', { class: 'muted', 'data-testid': 'position' }, `Contact ${state.index + 1} of ${contacts.length} · ${state.sent.size} sent`),
      h('h3', { 'data-testid': 'contact-name' }, name(contact)),
      h('p', { class: 'muted' }, [contact.phone, ...(contact.tags || [])].filter(Boolean).join(' · ')),
      scripts.length > 1 ? h('div', { class: 'chips' }, scripts.map((s, i) => h('button', {
        class: i === state.scriptIndex ? 'chip on' : 'chip', onclick: () => { state.scriptIndex = i; draw(); },
      }, `${i + 1}. ${s.body.slice(0, 24)}…`))) : null,
      script ? h('blockquote', { class: 'message', 'data-testid': 'preview' }, text) : notice('error', 'This goal has no script agents can use now.'),
      script ? counter(text) : null,
      status ? notice('ok', status === 'sent' ? 'Texted.' : 'Skipped.') : null,
      h('div', { class: 'actions sticky' },
        h('button', { class: 'primary big', 'data-testid': 'send', disabled: !script || status === 'sent', onclick: send }, 'Send ⏎'),
        h('button', { 'data-testid': 'skip', onclick: skip }, 'Skip (S)')),
      h('div', { id: 'batch-error' }));
  }

  async function send() {
    if (busy || state.index >= contacts.length) return;
    const entry = contacts[state.index];
    const script = scripts[state.scriptIndex] || scripts[0];
    if (!script || state.sent.has(entry.contactId)) return;
    busy = true;
    try {
      await api.sendMessage(entry.threadId, { batchId: state.claim.batchId, scriptId: script.id }, `${state.claim.batchId}:${entry.contactId}`);
      state.sent.add(entry.contactId);
      state.index++;
      await draw();
    } catch (e) {
      const box = document.getElementById('batch-error');
      const lost = e.type === 'batch-lease-lost' || e.type === 'batch-not-held';
      if (lost) batches.delete(key); // the next claim starts afresh
      if (box) mount(box, notice('error', explain(e)), lost ? h('button', { class: 'primary', onclick: () => batch(root, goalId, workflow) }, 'Claim a new batch') : null);
      if (['contact-opted-out', 'already-messaged', 'contact-reassigned', 'contact-deactivated', 'thread-held'].includes(e.type)) state.skipped.add(entry.contactId);
    } finally { busy = false; }
  }
  function skip() {
    if (state.index >= contacts.length) return;
    const id = contacts[state.index].contactId;
    if (!state.sent.has(id)) state.skipped.add(id);
    state.index++;
    draw();
  }
  async function release() {
    try { await api.releaseBatch(state.claim.batchId); toast('Batch released; unsent contacts went back to the pool.'); } catch (e) { toast(explain(e), 'error'); }
    batches.delete(key);
    location.hash = '#/agent';
  }
  const onKey = (ev) => {
    if (!document.body.contains(panel)) { document.removeEventListener('keydown', onKey); return; }
    if (ev.target.matches('input, textarea, select')) return;
    if (ev.key === 'Enter') { ev.preventDefault(); send(); }
    else if (ev.key === 's' || ev.key === 'S' || ev.key === 'ArrowRight') { ev.preventDefault(); skip(); }
    else if (ev.key === 'ArrowLeft' && state.index > 0) { state.index--; draw(); }
    else if (/^[1-9]$/.test(ev.key) && Number(ev.key) <= scripts.length) { state.scriptIndex = Number(ev.key) - 1; draw(); }
    else if (ev.key === 'Escape') release();
  };
  document.addEventListener('keydown', onKey);
  await draw();
}

// ------------------------------------------------------------------ replies: claim unread, then work thread by thread
export async function replies(root, goalId) {
  mount(root, h('p', {}, 'Claiming replies…'));
  const goal = await goalEntry(goalId);
  let claimed;
  try { claimed = await api.claim(goalId, 'unread'); } catch (e) {
    mount(root, h('h2', {}, 'Replies'), notice(e.type === 'nothing-to-claim' ? 'info' : 'error', explain(e)), h('a', { href: '#/agent' }, '← Back to your goals'));
    return;
  }
  const list = h('nav', { class: 'thread-list' });
  const pane = h('section', { class: 'work' });
  mount(root, h('div', { class: 'batch-head' }, h('a', { href: '#/agent' }, '← Goals'), h('h2', {}, `${goal?.name || 'Replies'} · replies`)),
    h('p', { class: 'muted' }, `${claimed.threads.length} conversation${claimed.threads.length === 1 ? '' : 's'} held for you until ${when(claimed.leaseExpiresAt)}.`),
    h('div', { class: 'split' }, pane, list));
  const open = (t) => thread(pane, t.threadId, { goal, onSent: () => { t.done = true; drawList(); } });
  const drawList = () => mount(list, h('h3', {}, 'In this batch'), claimed.threads.map((t) =>
    h('button', { class: `thread-item ${t.done ? 'done' : ''}`, onclick: () => open(t) }, `${t.done ? '✓ ' : ''}${t.contactId.slice(-6)} · ${when(t.lastInboundAt)}`)));
  drawList();
  if (claimed.threads.length) await open(claimed.threads[0]);
}

/** One thread: history, scripts, a reply box with a live counter, Yes / No and opt-out. */
export async function thread(pane, threadId, { goal = null, onSent = null } = {}) {
  mount(pane, h('p', {}, 'Opening…'));
  let t;
  try { t = await api.openThread(threadId); } catch (e) { mount(pane, notice('error', explain(e))); return; }
  const entry = goal || (t.goalId ? await goalEntry(t.goalId) : null);
  const own = (await api.myScripts().catch(() => ({ items: [] }))).items;
  const goalScripts = entry ? [...entry.goalScripts.response, ...entry.goalScripts.additionalResponse] : [];
  const values = contactValues(t.contact, me.name, entry?.mergeValues || {});
  const box = h('textarea', { rows: 4, 'data-testid': 'reply-box', placeholder: 'Write a reply, or pick a script', oninput: () => mount(count, counter(box.value)) });
  const count = h('div', {}, counter(''));
  let chosen = null; // {id, text}: a script as rendered; sent by id while unchanged
  const use = (s) => { chosen = { id: s.id, text: renderScript(s.body, values) }; box.value = chosen.text; mount(count, counter(box.value)); box.focus(); };
  const errors = h('div', {});
  const history = h('ol', { class: 'messages', 'data-testid': 'history' }, t.messages.map((m) =>
    h('li', { class: m.direction === 'INBOUND' ? 'in' : 'out' }, h('p', {}, m.body), h('small', {}, `${when(m.createdAt)}${m.direction === 'OUTBOUND' ? ` · ${m.status}` : ''}`))));
  async function send() {
    const text = box.value.trim();
    if (!text) return;
    const body = chosen && chosen.text === box.value ? { scriptId: chosen.id } : { body: text };
    if (entry) body.goalId = entry.goalId;
    try {
      const sent = await api.sendMessage(threadId, body, `${threadId}:${crypto.randomUUID()}`);
      history.append(h('li', { class: 'out' }, h('p', {}, sent.body), h('small', {}, `${when(sent.createdAt)} · ${sent.status}`)));
      box.value = ''; chosen = null; mount(count, counter('')); mount(errors);
      toast('Reply sent.', 'ok');
      onSent?.();
    } catch (e) { mount(errors, notice('error', explain(e))); }
  }
  box.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); send(); } });
  const lead = async (action) => {
    try { await api.leadAction(threadId, entry.goalId, action); toast(`Recorded ${action === 'YES' ? 'Yes' : 'No'}.`, 'ok'); } catch (e) { mount(errors, notice('error', explain(e))); }
  };
  const optOut = async () => {
    if (!confirm(`Opt ${name(t.contact)} out? They will never be texted again.`)) return;
    try { await api.optOutThread(threadId, t.groupId, t.contact.id); toast('Opted out.', 'ok'); } catch (e) { mount(errors, notice('error', explain(e))); }
  };
  mount(pane,
    h('h3', { 'data-testid': 'thread-contact' }, name(t.contact)),
    h('p', { class: 'muted' }, [t.contact.phone, ...(t.contact.tags || [])].join(' · '), t.contact.optedOut ? h('strong', { class: 'warn' }, ' · opted out') : null),
    history,
    goalScripts.length || own.length ? h('div', { class: 'chips' },
      goalScripts.map((s) => h('button', { class: 'chip', onclick: () => use(s) }, s.body.slice(0, 30))),
      own.map((s) => h('button', { class: 'chip own', onclick: () => use(s) }, `★ ${s.name || s.body.slice(0, 24)}`))) : null,
    box, count,
    h('div', { class: 'actions' },
      h('button', { class: 'primary', 'data-testid': 'send-reply', onclick: send }, 'Send reply (Ctrl+Enter)'),
      entry?.leadActions ? h('button', { 'data-testid': 'lead-yes', onclick: () => lead('YES') }, 'Yes') : null,
      entry?.leadActions ? h('button', { 'data-testid': 'lead-no', onclick: () => lead('NO') }, 'No') : null,
      h('button', { class: 'danger', onclick: optOut }, 'Opt out')),
    errors);
  history.scrollTop = history.scrollHeight;
  box.focus();
}

// ------------------------------------------------------------------ conversations
export async function conversations(root, filter = 'unread') {
  mount(root, h('p', {}, 'Loading…'));
  const page = { items: await api.all((c) => api.myConversations(filter, c), 10) };
  const pane = h('section', { class: 'work' });
  const rows = page.items.map((c) => h('button', { class: `thread-item ${c.unread ? 'unread' : ''}`, 'data-testid': 'conversation', onclick: () => thread(pane, c.threadId) },
    h('strong', {}, `${c.unread ? '● ' : ''}${c.contactName || 'Unknown contact'}`), ` · ${when(c.lastMessageAt)}`,
    c.preview ? h('small', { class: 'preview' }, c.preview) : null));
  mount(root, h('h2', {}, 'Your conversations'),
    h('div', { class: 'tabs' }, ['unread', 'all'].map((f) => h('a', { href: `#/agent/conversations/${f}`, class: f === filter ? 'on' : '' }, f === 'unread' ? 'Unread' : 'All'))),
    h('div', { class: 'split' }, pane, h('nav', { class: 'thread-list' }, rows.length ? rows : h('p', { class: 'muted' }, 'Nothing here.'))));
}

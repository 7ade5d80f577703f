// The one module that knows the HTTP API (functions/src/main/resources/openapi.yaml). Screens call these
// functions and never build URLs themselves, so an API change is a change here.
// Errors: every non-2xx answer becomes an ApiError carrying the problem+json body (type, detail, errors[]).

let config = { apiBaseUrl: '' };
let tokenSource = () => null;

export function configure(cfg, getToken) {
  config = cfg;
  tokenSource = getToken;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.message || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.type = (problem?.type || '').split('/').pop(); // "thread-held", "outside-hours", …
  }
}

async function call(method, path, body, headers = {}) {
  const h = { ...headers };
  const token = tokenSource();
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(config.apiBaseUrl + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text }; }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

const q = (params) => {
  const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return s.toString() ? `?${s}` : '';
};
const enc = encodeURIComponent;

// ---- agent
export const myWorkflows = () => call('GET', '/me/workflows');
export const claim = (goalId, workflow) => call('POST', `/goals/${enc(goalId)}/workflows/${workflow}/claim`);
export const releaseBatch = (batchId) => call('POST', `/batches/${enc(batchId)}/release`);
export const myConversations = (filter = 'all', cursor) => call('GET', `/me/conversations${q({ filter, cursor, limit: 50 })}`);
export const openThread = (threadId) => call('GET', `/threads/${enc(threadId)}`);
/** send: {scriptId} or {body}, plus batchId for batch work or goalId for replies; idempotencyKey makes retries safe. */
export const sendMessage = (threadId, send, idempotencyKey) =>
  call('POST', `/threads/${enc(threadId)}/messages`, send, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
export const leadAction = (threadId, goalId, action) => call('POST', `/threads/${enc(threadId)}/lead-action`, { goalId, action });
export const myScripts = () => call('GET', '/me/scripts');
export const createMyScript = (name, body) => call('POST', '/me/scripts', { name, body });
/**
 * Opts the thread's contact out. Assumption: an agent route `POST /threads/{threadId}/opt-out` is being added;
 * until it exists (API Gateway's 404), the contact is patched, which admins and managers may do.
 */
export async function optOutThread(threadId, groupId, contactId) {
  try {
    return await call('POST', `/threads/${enc(threadId)}/opt-out`, {});
  } catch (e) {
    if (e.status === 404 && e.problem?.message === 'Not Found') return patchContact(groupId, contactId, { optedOut: true });
    throw e;
  }
}

// ---- admin: groups and members
export const listGroups = (cursor) => call('GET', `/groups${q({ cursor })}`);
export const getGroup = (groupId) => call('GET', `/groups/${enc(groupId)}`);
export const createGroup = (group) => call('POST', '/groups', group);
export const patchGroup = (groupId, patch) => call('PATCH', `/groups/${enc(groupId)}`, patch);
export const listMembers = (groupId, cursor) => call('GET', `/groups/${enc(groupId)}/members${q({ cursor })}`);
export const putMember = (groupId, userId, role) => call('PUT', `/groups/${enc(groupId)}/members/${enc(userId)}`, { role });
export const removeMember = (groupId, userId) => call('DELETE', `/groups/${enc(groupId)}/members/${enc(userId)}`);

// ---- admin: contacts
export const listContacts = (groupId, { q: text, tag, cursor, limit = 50 } = {}) =>
  call('GET', `/groups/${enc(groupId)}/contacts${q({ q: text, tag, cursor, limit })}`);
export const getContact = (groupId, contactId) => call('GET', `/groups/${enc(groupId)}/contacts/${enc(contactId)}`);
export const patchContact = (groupId, contactId, patch) => call('PATCH', `/groups/${enc(groupId)}/contacts/${enc(contactId)}`, patch);
/** At most 1,000 rows a request (the API's limit). */
export const IMPORT_CHUNK = 1000;
export const importContacts = (groupId, contacts) => call('POST', `/groups/${enc(groupId)}/contacts`, { contacts });

// ---- admin: goals
export const listGoals = (groupId, cursor) => call('GET', `/groups/${enc(groupId)}/goals${q({ cursor })}`);
export const createGoal = (groupId, goal) => call('POST', `/groups/${enc(groupId)}/goals`, goal);
export const getGoal = (goalId) => call('GET', `/goals/${enc(goalId)}`);
export const patchGoal = (goalId, patch) => call('PATCH', `/goals/${enc(goalId)}`, patch);
export const deleteGoal = (goalId) => call('DELETE', `/goals/${enc(goalId)}`);
export const launchGoal = (goalId) => call('POST', `/goals/${enc(goalId)}/launch`);
export const pauseGoal = (goalId) => call('POST', `/goals/${enc(goalId)}/pause`);
export const resumeGoal = (goalId) => call('POST', `/goals/${enc(goalId)}/resume`);
export const duplicateGoal = (goalId, destinationGroupIds, name) =>
  call('POST', `/goals/${enc(goalId)}/duplicate`, name ? { destinationGroupIds, name } : { destinationGroupIds });
export const estimateTargeting = (goalId) => call('GET', `/goals/${enc(goalId)}/targeting/estimate`);
export const goalStats = (goalId) => call('GET', `/goals/${enc(goalId)}/stats`);

// ---- admin: conversation review
export const reviewConversations = (groupId, { agentId, filter = 'all', q: text, tag, cursor } = {}) =>
  call('GET', `/groups/${enc(groupId)}/conversations${q({ agentId, filter, q: text, tag, cursor })}`);
export const reviewThread = (threadId) => call('GET', `/conversations/${enc(threadId)}`);
export const assignThread = (threadId, agentId) => call('POST', `/conversations/${enc(threadId)}/assign`, { agentId });

/** Every page of a cursor-paged list. */
export async function all(pageFn, max = 20) {
  const items = [];
  let cursor;
  for (let i = 0; i < max; i++) {
    const page = await pageFn(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

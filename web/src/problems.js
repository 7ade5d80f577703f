// The API's problem types as plain sentences with what to do next. Unknown types show the server's detail.
const at = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
};
const instantIn = (detail) => (detail || '').match(/\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)/)?.[0];

const SENTENCES = {
  'thread-held': (p) => `Another agent is answering this person${instantIn(p.detail) ? ` until ${at(instantIn(p.detail))}` : ''}. Move on to the next one; it comes back when their window ends.`,
  'outside-hours': () => 'It is outside texting hours for this group or this contact. Texts can go out again when hours open.',
  'batch-lease-lost': () => 'Your hold on this batch ended (an hour passed, or it was released). Claim a new batch to keep going.',
  'batch-not-held': () => 'You no longer hold this batch; its contacts went back to the pool.',
  'daily-segment-cap': () => 'The group reached its daily texting limit. First texts and reminders resume tomorrow; replies still go out.',
  'nothing-to-claim': (p) => `Nothing is waiting to be claimed right now. ${p.detail || ''}`.trim(),
  'workflow-closed': () => 'This workflow is closed for the goal right now (not active, paused, or outside its window).',
  'batch-already-held': () => 'You already hold a batch in this goal. Finish or release it first.',
  'contact-opted-out': () => 'This person opted out. They are never texted again; skip to the next one.',
  'contact-deactivated': () => 'This contact is deactivated; skip to the next one.',
  'already-messaged': () => 'This person was already texted in this goal. Skip to the next one.',
  'scripts-unavailable': () => "The goal's scripts can't be used now; use one of your own scripts.",
  'contact-reassigned': () => 'This contact was reassigned to another agent. Skip to the next one.',
  'lead-actions-unavailable': () => 'Yes / No can only be recorded while the goal is active.',
  'too-many-scripts': () => 'You have the most scripts allowed (100). Delete one first.',
  busy: () => 'Other agents grabbed the same replies at the same moment. Try again.',
};

/** A sentence for an ApiError (or any error). */
export function explain(err) {
  if (!err) return '';
  if (err.status === 401) return 'Your sign-in expired. Sign in again.';
  if (err.status === 403) return `You are not allowed to do that. ${err.problem?.detail || ''}`.trim();
  const s = SENTENCES[err.type];
  if (s) return s(err.problem || {});
  const fields = (err.problem?.errors || []).map((e) => `${e.field}: ${e.message}`).join('; ');
  return [err.problem?.detail || err.message, fields].filter(Boolean).join(' — ');
}

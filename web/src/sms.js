// Segment counting, merge fields and the opt-out check, as the server does them
// (functions/.../scripts/Gsm7.java, Segments.java, MergeFields.java, OptOutLanguage.java), so the counter an
// agent or admin sees is the count the send records. test/sms.test.mjs checks the same vectors.

const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

const septets = (ch) => (BASIC.includes(ch) ? 1 : EXTENSION.includes(ch) ? 2 : 0);

/** Characters that force UCS-2, in order of first appearance. */
export function offending(text) {
  return [...new Set([...text].filter((ch) => septets(ch) === 0))];
}

/** {encoding: 'GSM7'|'UCS2', units, segments, perPart, remaining}: what carriers bill for this text. */
export function countSegments(text) {
  const chars = [...text]; // code points
  const gsm = chars.every((ch) => septets(ch) > 0);
  const encoding = gsm ? 'GSM7' : 'UCS2';
  const single = gsm ? 160 : 70;
  const split = gsm ? 153 : 67;
  const costs = chars.map((ch) => (gsm ? septets(ch) : ch.length)); // UTF-16 units = UCS-2 units
  const units = costs.reduce((a, b) => a + b, 0);
  if (units === 0) return { encoding, units, segments: 0, perPart: single, remaining: single };
  if (units <= single) return { encoding, units, segments: 1, perPart: single, remaining: single - units };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > split) { segments++; used = 0; }
    used += cost;
  }
  return { encoding, units, segments, perPart: split, remaining: split - used };
}

/** The matching key of a merge field name: trimmed, spaces collapsed, lower-cased. */
export const mergeKey = (name) => name.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/gu, ' ').trim().toLowerCase();

/** Parts of a script body: {text} literals and {key, fallback, written} fields; problems for bad syntax. */
export function parseScript(body) {
  const parts = [];
  const problems = [];
  let literal = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== '<') { literal += c; i++; continue; }
    if (body[i + 1] === '<') { literal += '<'; i += 2; continue; }
    let close = -1;
    for (let j = i + 1; j < body.length; j++) {
      if (body[j] === '>') { close = j; break; }
      if (body[j] === '<' || body[j] === '\n' || body[j] === '\r') break;
    }
    if (close < 0) {
      problems.push(`unclosed merge field at position ${i}; close it with '>' on the same line, or write << for a literal <`);
      literal += '<'; i++; continue;
    }
    const inner = body.slice(i + 1, close);
    const bar = inner.indexOf('|');
    const key = mergeKey(bar < 0 ? inner : inner.slice(0, bar));
    const written = body.slice(i, close + 1);
    if (!key) { problems.push(`empty merge field ${written} at position ${i}`); literal += written; i = close + 1; continue; }
    const fallback = bar < 0 ? null : inner.slice(bar + 1).trim() || null;
    if (literal) { parts.push({ text: literal }); literal = ''; }
    parts.push({ key, fallback, written });
    i = close + 1;
  }
  if (literal) parts.push({ text: literal });
  return { parts, problems };
}

/** Renders a body; values(key) gives a field's value or undefined. Drops one space after an empty field like the server. */
export function renderScript(body, values) {
  let out = '';
  let dropOneSpace = false;
  for (const part of parseScript(body).parts) {
    if ('text' in part) {
      out += dropOneSpace && part.text.startsWith(' ') ? part.text.slice(1) : part.text;
      dropOneSpace = false;
    } else {
      const raw = values(part.key);
      const v = (raw == null ? '' : String(raw).trim()) || part.fallback || '';
      out += v;
      dropOneSpace = v === '' ? dropOneSpace || out === '' || /\s$/u.test(out) : false;
    }
  }
  return out;
}

/** Merge values for one contact: built-ins, the goal's shared values, custom fields by key. */
export function contactValues(contact, agentName, goalValues = {}) {
  const custom = {};
  for (const [k, v] of Object.entries(contact?.customFields ?? {})) custom[mergeKey(k)] = v;
  return (key) => {
    if (key === 'first name') return contact?.firstName;
    if (key === 'last name') return contact?.lastName;
    if (key === 'agent name') return agentName;
    if (key in goalValues) return goalValues[key];
    return custom[key];
  };
}

const KEYWORD = '(?:stopall|stop|unsubscribe|cancel|end|quit|opt[- ]?out)(?![\\p{L}\\p{N}_-])';
const QUOTES = '["\'“”‘’«»*]*';
const VERB = '(?:reply|respond|text|txt|send|message|msg|responde|responda|envía|envia)';
const B = '(?<![\\p{L}\\p{N}_])';
const E = '(?![\\p{L}\\p{N}_])';
const OPT_OUT = [
  `${B}${VERB}${E}(?:\\s+back)?(?:\\s+with)?[\\s:]*${QUOTES}${KEYWORD}`,
  `${B}stop(?:all)?\\s*[2=]\\s*(?:end|quit|stop|cancel|unsubscribe|opt[- ]?out)${E}`,
  `${B}stop(?:all)?\\s+to\\s+(?:end|quit|cancel|stop|be\\s+removed)${E}`,
  `${B}(?:opt[- ]?out|unsubscribe)${E}`,
].map((r) => new RegExp(r, 'iu'));

/** Whether the script tells contacts how to opt out (required in initial and reminder scripts). */
export const hasOptOutLanguage = (body) => OPT_OUT.some((r) => r.test(body ?? ''));

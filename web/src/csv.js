// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a BOM at the start. No dependencies.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((x) => x !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

const cell = (v) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
export const toCsv = (rows) => rows.map((r) => r.map((v) => cell(String(v ?? ''))).join(',')).join('\r\n') + '\r\n';

/** A guess of what a header means: phone, firstName, lastName, tags, assignedAgentId, timeZone, else a custom field. */
export function guessTarget(header) {
  const k = header.toLowerCase().replace(/[^a-z]/g, '');
  if (['phone', 'phonenumber', 'mobile', 'cell', 'number'].includes(k)) return 'phone';
  if (['firstname', 'first', 'givenname'].includes(k)) return 'firstName';
  if (['lastname', 'last', 'surname', 'familyname'].includes(k)) return 'lastName';
  if (['tags', 'tag'].includes(k)) return 'tags';
  if (['assignedagentid', 'agent', 'assignedto'].includes(k)) return 'assignedAgentId';
  if (['timezone', 'tz', 'zone', 'ianatimezone'].includes(k)) return 'timeZone';
  return header.trim() ? `custom:${header.trim()}` : 'ignore';
}

/**
 * Rows → import rows by the column mapping; problems found before sending (the server checks again).
 * Returns {rows: [{line, contact}], problems: [{line, field, message}]}.
 */
export function mapRows(dataRows, mapping) {
  const rows = [];
  const problems = [];
  dataRows.forEach((r, i) => {
    const line = i + 2; // 1-based, after the header
    const c = {};
    mapping.forEach((target, col) => {
      const v = (r[col] ?? '').trim();
      if (target === 'ignore' || v === '') return;
      if (target === 'tags') c.tags = v.split(/[;|]/).map((t) => t.trim()).filter(Boolean);
      else if (target.startsWith('custom:')) (c.customFields ??= {})[target.slice(7)] = v;
      else c[target] = v;
    });
    if (!c.phone) problems.push({ line, field: 'phone', message: 'no phone number' });
    else if (c.phone.replace(/[^\d]/g, '').length < 10) problems.push({ line, field: 'phone', message: `"${c.phone}" is too short for a phone number` });
    else rows.push({ line, contact: c });
  });
  return { rows, problems };
}

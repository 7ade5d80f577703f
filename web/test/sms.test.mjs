// Unit checks of the console's segment counter against the server's vectors (SegmentsTest in functions/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSegments, renderScript, contactValues, hasOptOutLanguage, offending } from '../src/sms.js';

test('GSM-7: 160 in one part, 161 splits into 153-septet parts', () => {
  assert.deepEqual([countSegments('a'.repeat(160)).segments, countSegments('a'.repeat(161)).segments], [1, 2]);
  assert.equal(countSegments('a'.repeat(306)).segments, 2);
  assert.equal(countSegments('a'.repeat(307)).segments, 3);
});

test('extension characters cost two septets and never straddle a part', () => {
  assert.equal(countSegments('€'.repeat(80)).units, 160);
  assert.equal(countSegments('€'.repeat(80)).segments, 1);
  assert.equal(countSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments, 3); // 306 septets, but € moves whole to part 2
  assert.equal(countSegments('a'.repeat(152) + '€').encoding, 'GSM7');
});

test('one character outside GSM-7 makes the text UCS-2: 70 / 67, emoji count two', () => {
  assert.equal(countSegments('ç').encoding, 'UCS2');
  assert.deepEqual(offending('Hola ç 😀'), ['ç', '😀']);
  assert.equal(countSegments('😀'.repeat(35)).segments, 1);
  assert.equal(countSegments('😀'.repeat(36)).segments, 2);
  assert.equal(countSegments('a'.repeat(66) + '😀' + 'a'.repeat(66)).segments, 3); // 134 units, the pair moves whole
});

test('merge fields render like the server: fallbacks, case-insensitive keys, no double spaces', () => {
  const v = contactValues({ firstName: 'Ana', lastName: null, customFields: { County: 'Travis' } }, 'ari', { 'event date': 'Sunday, December 20' });
  assert.equal(renderScript('Hi <First Name|friend> <last name>, <county> on <event date>', v), 'Hi Ana , Travis on Sunday, December 20');
  assert.equal(renderScript('<last name> Hi <first name|there>', contactValues({}, 'ari')), 'Hi there');
  assert.equal(renderScript('a << b', v), 'a < b');
});

test('opt-out language is found like the server finds it', () => {
  assert.ok(hasOptOutLanguage('Reply STOP to opt out'));
  assert.ok(hasOptOutLanguage('text "stop" to end'));
  assert.ok(!hasOptOutLanguage("Don't stop believing"));
  assert.ok(!hasOptOutLanguage('See you at the weekend'));
});

import { parseCsv, mapRows, guessTarget, toCsv } from '../src/csv.js';

test('CSV: quotes, doubled quotes, CRLF, BOM; mapping validates phones', () => {
  const rows = parseCsv('\uFEFFPhone,First Name,tags,County\r\n"(512) 555-0101","Ana ""A""",volunteer;donor,Travis\r\n12,Ben,,\r\n');
  assert.deepEqual(rows[1], ['(512) 555-0101', 'Ana "A"', 'volunteer;donor', 'Travis']);
  const mapping = rows[0].map(guessTarget);
  assert.deepEqual(mapping, ['phone', 'firstName', 'tags', 'custom:County']);
  const { rows: ok, problems } = mapRows(rows.slice(1), mapping);
  assert.deepEqual(ok[0].contact, { phone: '(512) 555-0101', firstName: 'Ana "A"', tags: ['volunteer', 'donor'], customFields: { County: 'Travis' } });
  assert.deepEqual(problems, [{ line: 3, field: 'phone', message: '"12" is too short for a phone number' }]);
  assert.equal(toCsv([['a,b', 'c"d']]), '"a,b","c""d"\r\n');
  assert.deepEqual(['timeZone', 'Time Zone', 'TZ'].map(guessTarget), ['timeZone', 'timeZone', 'timeZone']);
  assert.deepEqual(mapRows([['+15125550101', 'America/Denver']], ['phone', 'timeZone']).rows[0].contact, { phone: '+15125550101', timeZone: 'America/Denver' });
});

import { explain } from '../src/problems.js';
import { ApiError } from '../src/api.js';

test('409s read as sentences that say what to do; unknown ones show the detail and each field', () => {
  const held = new ApiError(409, { type: 'https://goalpost.dev/problems/thread-held', detail: 'Held by agent-bea until 2026-12-10T17:00:00Z' });
  assert.match(explain(held), /^Another agent is answering this person until .+2026.+\. Move on to the next one/);
  assert.match(explain(new ApiError(409, { type: 'https://goalpost.dev/problems/batch-lease-lost', detail: 'x' })), /Claim a new batch/);
  assert.match(explain(new ApiError(409, { type: 'https://goalpost.dev/problems/daily-segment-cap', detail: 'x' })), /resume tomorrow/);
  const invalid = new ApiError(422, { type: 'https://goalpost.dev/problems/validation-failed', detail: 'The request has invalid fields', errors: [{ field: 'scripts.initial[0]', message: 'needs opt-out language' }] });
  assert.equal(explain(invalid), 'The request has invalid fields — scripts.initial[0]: needs opt-out language');
});

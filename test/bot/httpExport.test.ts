// `export` in Teams over real HTTP: the KQL block inline in a code block everywhere; in personal chat the
// requested format offered as a file (FileConsentCard), uploaded on accept to a local receiver that checks the
// bytes, acknowledged on decline; in channels the other formats inline, within a message's size.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { exportRuleExclusions } from '../../src/triage/exporting.js';
import { MAX_INLINE_BYTES } from '../../src/bot/actions/export.js';
import { FILE_CONSENT_CARD, FILE_INFO_CARD, sha256 } from '../../src/bot/files/consent.js';
import { startUploadReceiver, type UploadReceiver } from '../support/uploadReceiver.js';
import { httpFixture, turn, type HttpFixture } from './httpFixture.js';

/** An account name with backtick runs: a code fence of three would end inside it. */
const TICKS = 'svc```x````y';

function addExclusion(h: HttpFixture, account: string): number {
  const { store } = h.f.app;
  const x = store.exclusions.create(
    {
      ruleId: h.f.bot.services.rule().id,
      author: 'alice',
      scope: 'rule',
      conditions: [
        { column: 'InitiatingProcessAccountName', op: '==', values: [account] },
        { column: 'InitiatingProcessFileName', op: '=~', values: ['parsecd.exe'] },
      ],
    },
    'alice',
  );
  store.exclusions.approve(x.id, 'bob', 'bob');
  return x.id;
}

/** The fenced block of a message: its fence, language and content. */
function fenced(text: string): { fence: string; lang: string; content: string } {
  const m = /^(`{3,})(\w*)\n([\s\S]*)\n\1$/m.exec(text);
  assert.ok(m, `no code block in ${JSON.stringify(text.slice(0, 200))}`);
  return { fence: m[1]!, lang: m[2]!, content: m[3]! };
}

async function receiver(t: TestContext): Promise<UploadReceiver> {
  const r = await startUploadReceiver();
  t.after(() => r.close());
  return r;
}

const attachmentsOf = (body: any): any[] => body?.attachments ?? [];

test('personal chat: the KQL inline, the file offered, uploaded on accept with exactly its bytes, then shown', async (t) => {
  const h = await httpFixture(t);
  const xid = addExclusion(h, TICKS);
  const out = await turn(h.connector, () => h.chat.message('export json'));
  const rule = h.f.bot.services.rule();

  const offers = out.sent.flatMap((c) => attachmentsOf(c.body).filter((a) => a.contentType === FILE_CONSENT_CARD).map((a) => ({ a, id: c.assignedId! })));
  assert.equal(offers.length, 1, 'one file offered');
  const { a: offer, id: offerId } = offers[0]!;
  const context = offer.content.acceptContext;
  assert.deepEqual(offer.content.declineContext, context);
  const at = new Date(context.generatedAt);
  const expected = exportRuleExclusions(h.f.app.store, rule, 'json', { now: at }).files[0]!;
  assert.equal(offer.name, expected.name);
  assert.equal(offer.content.sizeInBytes, Buffer.byteLength(expected.content));
  assert.equal(context.sha256, sha256(expected.content));

  const block = fenced(out.texts[0]!);
  assert.equal(block.lang, 'kql');
  assert.equal(block.content, exportRuleExclusions(h.f.app.store, rule, 'kql', { now: at }).files[0]!.content.replace(/\n$/, ''));
  assert.ok(block.content.includes(`// exclusion ${xid}`));
  assert.ok(block.fence.length > 4, 'the fence outruns the value’s four backticks');

  const r = await receiver(t);
  const uploadInfo = { name: expected.name, uploadUrl: r.url, contentUrl: 'https://contoso-my.sharepoint.com/personal/alice/Documents/Applications/x.json', uniqueId: 'f00d-1', fileType: 'json' };
  const accepted = await turn(h.connector, () => h.chat.invoke('fileConsent/invoke', { type: 'fileUpload', action: 'accept', context, uploadInfo }, undefined, { replyToId: offerId }));
  assert.equal(accepted.res.status, 200);
  assert.equal(r.uploads.length, 1);
  const up = r.uploads[0]!;
  assert.equal(up.method, 'PUT');
  assert.equal(up.path, '/upload-session/abc');
  assert.equal(up.body.toString('utf8'), expected.content, 'the uploaded bytes are the offered file');
  const n = up.body.length;
  assert.equal(up.headers['content-range'], `bytes 0-${n - 1}/${n}`);
  assert.equal(up.headers['content-length'], String(n));
  const info = accepted.sent.flatMap((c) => attachmentsOf(c.body)).find((a) => a.contentType === FILE_INFO_CARD);
  assert.deepEqual(info, { contentType: FILE_INFO_CARD, contentUrl: uploadInfo.contentUrl, name: expected.name, content: { uniqueId: 'f00d-1', fileType: 'json' } });
  assert.equal(accepted.texts.length, 0, 'no "changed since" note: nothing changed');
});

test('a declined offer is acknowledged and nothing is uploaded; a changed store uploads the current file and says so', async (t) => {
  const h = await httpFixture(t);
  addExclusion(h, 'svc-backup');
  const out = await turn(h.connector, () => h.chat.message('export csv'));
  const offer = out.sent.flatMap((c) => attachmentsOf(c.body)).find((a) => a.contentType === FILE_CONSENT_CARD)!;
  const r = await receiver(t);
  const declined = await turn(h.connector, () => h.chat.invoke('fileConsent/invoke', { type: 'fileUpload', action: 'decline', context: offer.content.declineContext }));
  assert.equal(declined.res.status, 200);
  assert.match(declined.texts[0]!, /^You declined parsec.*\.exclusions\.csv: nothing was uploaded/);
  assert.equal(r.uploads.length, 0);

  const later = addExclusion(h, 'svc-later');
  const uploadInfo = { name: offer.name, uploadUrl: r.url, contentUrl: 'https://contoso-my.sharepoint.com/x.csv', uniqueId: 'u2' };
  const accepted = await turn(h.connector, () => h.chat.invoke('fileConsent/invoke', { type: 'fileUpload', action: 'accept', context: offer.content.acceptContext, uploadInfo }));
  assert.match(accepted.texts[0]!, /changed since I offered/);
  const csv = r.uploads[0]!.body.toString('utf8');
  assert.ok(csv.includes('svc-later'), `exclusion ${later} is in the uploaded file`);
});

test('a forged or unusable consent answer uploads nothing and says why', async (t) => {
  const h = await httpFixture(t);
  const out = await turn(h.connector, () => h.chat.message('export'));
  const offer = out.sent.flatMap((c) => attachmentsOf(c.body)).find((a) => a.contentType === FILE_CONSENT_CARD)!;
  assert.equal(offer.content.acceptContext.format, 'kql', 'export alone offers the kql file');
  const r = await receiver(t);
  const info = { name: offer.name, uploadUrl: r.url, contentUrl: 'https://contoso-my.sharepoint.com/x', uniqueId: 'u' };
  const cases: Array<[unknown, RegExp]> = [
    [{ action: 'accept', context: { ...offer.content.acceptContext, format: 'exe' }, uploadInfo: info }, /not valid: file consent: context\.format/],
    [{ action: 'accept', context: { ...offer.content.acceptContext, sha256: 'x' }, uploadInfo: info }, /not valid: file consent: context\.sha256/],
    [{ action: 'accept', context: { ...offer.content.acceptContext, name: '../../etc/passwd' }, uploadInfo: info }, /not valid: file consent: the offer names "\.\.\/\.\.\/etc\/passwd"/],
    [{ action: 'accept', context: offer.content.acceptContext }, /not valid: file consent: uploadInfo/],
    [{ action: 'accept', context: offer.content.acceptContext, uploadInfo: { ...info, uploadUrl: 'http://example.com/upload' } }, /upload of .* failed \(refusing to send the file to http:\/\/example\.com/],
    [{ action: 'maybe', context: offer.content.acceptContext }, /not valid: file consent: action/],
  ];
  for (const [value, reply] of cases) {
    const res = await turn(h.connector, () => h.chat.invoke('fileConsent/invoke', value));
    assert.equal(res.res.status, 200);
    assert.match(res.texts[0]!, reply);
  }
  assert.equal(r.uploads.length, 0, 'nothing reached the upload session');
});

test('channels: the KQL inline, other formats inline on request, no file offers; too large says where to get it', async (t) => {
  const h = await httpFixture(t);
  addExclusion(h, TICKS);
  const channel = h.chat.in({ kind: 'channel', channelId: 'soc' });
  const rule = h.f.bot.services.rule();

  const plain = await turn(h.connector, () => channel.message('export'));
  assert.equal(plain.texts.length, 1);
  assert.equal(fenced(plain.texts[0]!).lang, 'kql');
  assert.ok(!plain.sent.some((c) => attachmentsOf(c.body).length), 'no file card in a channel');

  const json = await turn(h.connector, () => channel.message('export json'));
  assert.equal(json.texts.length, 2);
  const file = fenced(json.texts[1]!);
  assert.equal(file.lang, 'json');
  const parsed = JSON.parse(file.content);
  const expected = JSON.parse(exportRuleExclusions(h.f.app.store, rule, 'json', { now: new Date(parsed.generatedAt) }).files[0]!.content);
  assert.deepEqual(parsed, expected);

  const watchlist = await turn(h.connector, () => channel.message('export watchlist'));
  assert.deepEqual(watchlist.texts.slice(1).map((x) => fenced(x).lang), ['csv', 'kql'], 'both watchlist files');

  const unknown = await turn(h.connector, () => channel.message('export exe'));
  assert.match(unknown.texts[0]!, /^I can't export "exe"\. Formats: kql, rule, watchlist, json, csv/);

  for (let i = 0; i < 400; i++) addExclusion(h, `svc-${'x'.repeat(150)}-${i}`);
  const big = await turn(h.connector, () => channel.message('export csv'));
  assert.match(big.texts[0]!, /^The KQL block is \d+ KB, too long for a Teams message: ask me for `export kql` in personal chat/);
  assert.match(big.texts[1]!, /\.exclusions\.csv is \d+ KB, too long for a Teams message/);
  assert.ok(big.sent.every((c) => JSON.stringify(c.body).length < MAX_INLINE_BYTES + 4000), 'every message stays under the limit');
});

/**
 * Files on cases, staff and partner side, over real PostgreSQL and the whole app: a partner sends a
 * photo and a PDF with its complaint and reads them back byte for byte; staff see them, add an
 * internal file the partner never sees (row-level security, not a filter in our code), another
 * partner gets 404 for both; every refusal (type, mismatch, size, empty, two files) names the file
 * and why; an erasure takes the person's files. Real: PostgreSQL, the app. Mocked: nothing.
 */
import { AppWithAdmin, bootAppWithAdmin, CustomerEventFactory, publishAndSettle } from '@tradelane/testing';
import { createHash } from 'node:crypto';
import request from 'supertest';

jest.setTimeout(120_000);

let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
let keyA = '';
let keyB = '';
let caseId = '';

// A 1×1 PNG and a one-page PDF, whole and valid (their readers open them).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const MAX = 64 * 1024; // CRM_CASE_ATTACHMENT_MAX_MB below

/** Binary answers as a Buffer (supertest leaves unknown types unparsed). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  process.env.CRM_CASE_ATTACHMENT_MAX_MB = String(MAX / 1024 / 1024);
  app = await bootAppWithAdmin('case-attachments');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
  const customers = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  const keyFor = async (name: string, customer: string) => {
    const partner = (
      await http()
        .post('/partners')
        .set(as(app.adminToken))
        .send({ name, customerIds: [customers.find((c) => c.name === customer)!.id] })
        .expect(201)
    ).body.id as string;
    return (
      await http()
        .post('/api-keys')
        .set(as(app.adminToken))
        .send({ name: `${name} desk`, scopes: ['cases:read', 'cases:write'], partnerId: partner })
        .expect(201)
    ).body.token as string;
  };
  keyA = await keyFor('Alfreds', 'Alfreds Futterkiste');
  keyB = await keyFor('Bon app', 'Bon app');
  caseId = (
    await http()
      .post('/partner/v1/cases')
      .set(as(keyA))
      .send({ type: 'damage', subject: 'Two pallets arrived crushed' })
      .expect(201)
  ).body.id as string;
});
afterAll(() => {
  delete process.env.CRM_CASE_ATTACHMENT_MAX_MB;
  return app?.close();
});

type Att = { id: string; filename: string; contentType: string; size: number; sha256: string };
type Msg = { body: string; visibility?: string; attachments: Att[] };
const files = (messages: Msg[]) => messages.flatMap((m) => m.attachments);

it('a partner sends a photo and a PDF with its complaint and reads them back byte for byte', async () => {
  const photo = await http()
    .post(`/partner/v1/cases/${caseId}/attachments`)
    .set(as(keyA))
    .field('body', 'Photo of the crushed pallets')
    .attach('file', PNG, { filename: 'Schäden Palette 1.png', contentType: 'application/octet-stream' })
    .expect(201);
  const m = (photo.body.messages as Msg[]).find((x) => x.body === 'Photo of the crushed pallets')!;
  expect(m.attachments).toEqual([
    expect.objectContaining({
      filename: 'Schäden Palette 1.png',
      contentType: 'image/png', // from its bytes, not the sender's octet-stream
      size: PNG.length,
      sha256: sha(PNG),
    }),
  ]);
  const pdf = await http()
    .post(`/partner/v1/cases/${caseId}/attachments`)
    .set(as(keyA))
    .attach('file', PDF, '../../etc/POD 4711.pdf')
    .expect(201);
  const sent = files(pdf.body.messages as Msg[]);
  expect(sent.map((f) => f.filename)).toEqual(['Schäden Palette 1.png', 'POD 4711.pdf']); // no path kept
  expect((pdf.body.messages as Msg[]).at(-1)!.body).toBe('attached POD 4711.pdf');

  const down = await http()
    .get(`/partner/v1/cases/${caseId}/attachments/${sent[1].id}`)
    .set(as(keyA))
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect(Buffer.compare(down.body as Buffer, PDF)).toBe(0);
  expect(down.headers['content-type']).toBe('application/pdf');
  expect(down.headers['content-disposition']).toBe('attachment; filename="POD 4711.pdf"');
  expect(down.headers['x-content-type-options']).toBe('nosniff');
  expect(down.headers.etag).toBe(`"${sha(PDF)}"`);
  const photoDown = await http()
    .get(`/partner/v1/cases/${caseId}/attachments/${sent[0].id}`)
    .set(as(keyA))
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect(sha(photoDown.body as Buffer)).toBe(sha(PNG));
  expect(photoDown.headers['content-disposition']).toContain(
    "filename*=UTF-8''Sch%C3%A4den%20Palette%201.png",
  );
});

it('staff see the files; an internal one is never shown to the partner, another partner sees none', async () => {
  const staff = await http().get(`/cases/${caseId}`).set(as(app.adminToken)).expect(200);
  expect(files(staff.body.messages as Msg[]).map((f) => f.filename)).toEqual([
    'Schäden Palette 1.png',
    'POD 4711.pdf',
  ]);
  const internal = await http()
    .post(`/cases/${caseId}/attachments`)
    .set(as(app.adminToken))
    .field('visibility', 'internal')
    .field('author', 'claims@3pl.example')
    .field('body', 'Carrier liability assessment')
    .attach('file', Buffer.from('pallet;damage;liable\n1;crushed;carrier\n'), 'assessment.csv')
    .expect(201);
  const note = files(internal.body.messages as Msg[]).find((f) => f.filename === 'assessment.csv')!;
  expect(note.contentType).toBe('text/csv; charset=utf-8');
  const reply = await http()
    .post(`/cases/${caseId}/attachments`)
    .set(as(app.adminToken))
    .field('visibility', 'customer')
    .field('author', 'desk@3pl.example')
    .attach('file', PDF, 'claim-form.pdf')
    .expect(201);
  const form = files(reply.body.messages as Msg[]).find((f) => f.filename === 'claim-form.pdf')!;
  const staffDown = await http()
    .get(`/cases/${caseId}/attachments/${note.id}`)
    .set(as(app.adminToken))
    .buffer(true)
    .parse(binary)
    .expect(200);
  expect((staffDown.body as Buffer).toString()).toContain('crushed;carrier');

  // Partner A: its own files and the desk's reply, never the internal note or its file.
  const seen = await http().get(`/partner/v1/cases/${caseId}`).set(as(keyA)).expect(200);
  expect(files(seen.body.messages as Msg[]).map((f) => f.filename)).toEqual([
    'Schäden Palette 1.png',
    'POD 4711.pdf',
    'claim-form.pdf',
  ]);
  expect(JSON.stringify(seen.body)).not.toContain('assessment');
  await http().get(`/partner/v1/cases/${caseId}/attachments/${note.id}`).set(as(keyA)).expect(404);
  await http().get(`/partner/v1/cases/${caseId}/attachments/${form.id}`).set(as(keyA)).expect(200);

  // Partner B: A's case and its files are not there at all.
  await http().get(`/partner/v1/cases/${caseId}/attachments/${form.id}`).set(as(keyB)).expect(404);
  await http()
    .post(`/partner/v1/cases/${caseId}/attachments`)
    .set(as(keyB))
    .attach('file', PNG, 'mine.png')
    .expect(404);
  const after = await http().get(`/cases/${caseId}`).set(as(app.adminToken)).expect(200);
  expect(files(after.body.messages as Msg[]).map((f) => f.filename)).not.toContain('mine.png');
});

it('refuses, naming the file and why: executables, a name that lies, too large, empty, two files, none', async () => {
  const refuse = async (status: number, attach: (r: request.Test) => request.Test) => {
    const res = await attach(http().post(`/partner/v1/cases/${caseId}/attachments`).set(as(keyA))).expect(
      status,
    );
    expect(res.headers['content-type']).toContain('application/problem+json');
    return res.body.detail as string;
  };
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(64)]);
  expect(await refuse(415, (r) => r.attach('file', exe, 'invoice.pdf'))).toMatch(
    /^file: invoice\.pdf cannot be attached \(its content is exe, its name says \.pdf\); accepted: .*pdf/,
  );
  expect(await refuse(415, (r) => r.attach('file', PNG, 'scan.pdf'))).toContain('its content is png');
  expect(
    await refuse(415, (r) => r.attach('file', Buffer.from('<svg onload="alert(1)"/>'), 'x.svg')),
  ).toContain('x.svg cannot be attached');
  expect(await refuse(415, (r) => r.attach('file', Buffer.from([0, 1, 2, 3, 0, 0]), 'notes.txt'))).toContain(
    'notes.txt cannot be attached',
  );
  expect(await refuse(413, (r) => r.attach('file', Buffer.alloc(MAX + 1, 0x41), 'big.txt'))).toBe(
    'file: larger than the 64.0 kB allowed (CRM_CASE_ATTACHMENT_MAX_MB)',
  );
  expect(await refuse(400, (r) => r.attach('file', Buffer.alloc(0), 'empty.pdf'))).toBe(
    'file: empty.pdf is empty',
  );
  expect(await refuse(400, (r) => r.attach('file', PNG, 'a.png').attach('file', PNG, 'b.png'))).toContain(
    'send one file',
  );
  expect(await refuse(400, (r) => r.field('body', 'no file'))).toContain('no file was sent');
  const staff = await http().get(`/cases/${caseId}`).set(as(app.adminToken)).expect(200);
  expect(files(staff.body.messages as Msg[])).toHaveLength(4); // none of the refused ones
  // A key without cases:write is refused before the upload is read.
  await http()
    .post(`/cases/${caseId}/attachments`)
    .field('visibility', 'internal')
    .field('author', 'x')
    .attach('file', PNG, 'a.png')
    .expect(401);
});

it("an erasure takes the person's files with their words", async () => {
  const before = await http()
    .get('/privacy/people')
    .query({ email: 'claims@3pl.example' })
    .set(as(app.adminToken))
    .expect(200);
  expect(JSON.stringify(before.body)).toContain('attached assessment.csv');
  await http()
    .post('/privacy/erasures')
    .set(as(app.adminToken))
    .send({ email: 'claims@3pl.example', reason: 'left the company' })
    .expect(200);
  const after = await http().get(`/cases/${caseId}`).set(as(app.adminToken)).expect(200);
  const names = files(after.body.messages as Msg[]).map((f) => f.filename);
  expect(names).not.toContain('assessment.csv');
  expect(names).toContain('claim-form.pdf');
});

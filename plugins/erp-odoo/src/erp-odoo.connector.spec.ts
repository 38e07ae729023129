/**
 * erp-odoo against Odoo's JSON-RPC API mocked with nock over rows in the shape Odoo 17 returns
 * (false for empty fields, [id, "name"] many2one, zone-less UTC datetimes; see __fixtures__/SOURCES.md):
 * a first pull loads partners, orders (with lines), invoices and pickings; a second pull from the
 * stored cursor loads only what changed; Odoo 18's field differences; the error envelope mapped to
 * connector error kinds; and the SDK conformance kit. Mocked: Odoo (someone else's API) only.
 */
import { CanonicalRecord, ConnectorError, parseConnectorConfig } from '@tradelane/connector-sdk';
import nock from 'nock';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { odooError } from './client/odoo.client';
import { erpOdooConnector } from './erp-odoo.connector';
import { fakeOdoo, FakeOdoo } from './testing/odoo.fake';

const RECORDS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '__fixtures__', 'odoo17-records.json'), 'utf8'),
) as FakeOdoo['data'];
const copy = () => JSON.parse(JSON.stringify(RECORDS)) as FakeOdoo['data'];
const KEY = 'f6a1d0c8e1b24f3c9a7d5e2b8c4f1a09';

const runtime = (url: string, extra: Record<string, unknown> = {}) =>
  erpOdooConnector.create(
    parseConnectorConfig(erpOdooConnector, {
      url,
      database: 'tradelane',
      login: 'crm@example.com',
      apiKey: KEY,
      ...extra,
    }),
    { instance: 'erp-odoo:test', tenant: 'default', log: () => undefined },
  );

async function pullAll(rt: ReturnType<typeof runtime>, stream: string, cursor: string | null = null) {
  const records: CanonicalRecord[] = [];
  for (;;) {
    const page = await rt.pull!(stream, cursor);
    records.push(...page.records);
    cursor = page.cursor;
    if (!page.hasMore) return { records, cursor };
  }
}

afterAll(() => nock.cleanAll());

describe('erp-odoo pull (Odoo 17)', () => {
  const URL_ = 'http://odoo17.test';
  let odoo: FakeOdoo;
  beforeAll(() => {
    odoo = fakeOdoo(URL_, copy(), KEY);
  });

  it('first pull loads partners, orders with lines, invoices and pickings; a second pull only what changed', async () => {
    const rt = runtime(URL_, { pageSize: 2 });
    const partners = await pullAll(rt, 'partners');
    expect(partners.records.map((r) => r.key)).toEqual(['10', '14', '11']); // contact 26 has a parent
    const azure = partners.records.find((r) => r.key === '14')!;
    expect(azure).toEqual({
      type: 'customer.upserted',
      key: '14',
      occurredAt: '2026-11-02T08:00:00.000Z',
      payload: {
        externalId: '14',
        name: 'Azure Interior',
        vatId: 'BE0477.472.701', // as Odoo holds it; matching compacts it
        email: 'azure.Interior24@example.com',
        phone: '(870)-931-0505',
        street: '4557 De Silva St',
        city: 'Fremont',
        postalCode: '94538',
        country: 'US',
        // Its contact person (a child partner) comes with it.
        contacts: [
          {
            name: 'Brandon Freeman',
            email: 'brandon.freeman55@example.com',
            phone: '(355)-687-3262',
            role: 'Purchasing Manager',
          },
        ],
      },
    });
    // false is "no value": no vat, phone from mobile, the ERP's own reference as an identifier.
    expect(partners.records.find((r) => r.key === '10')!.payload).toMatchObject({
      phone: '+32 470 12 34 56',
      identifiers: [{ scheme: 'erp-customer-no', value: 'DA-001' }],
    });
    expect(partners.records.find((r) => r.key === '10')!.payload).not.toHaveProperty('vatId');

    const orders = await pullAll(rt, 'orders');
    expect(orders.records).toHaveLength(1); // S00008 is a draft quotation
    expect(orders.records[0].payload).toEqual({
      externalId: 'S00007',
      customerExternalId: '14',
      parties: [{ role: 'consignee', customerExternalId: '26' }],
      status: 'sale',
      orderedAt: '2026-11-04T09:58:41.000Z',
      currency: 'USD',
      lines: [
        {
          sku: 'FURN_7800',
          description: '[FURN_7800] Desk Combination\nDesk combination, black-brown: chair + desk + drawer.',
          quantity: 2,
          unitPrice: 450,
          quantityShipped: 2,
        },
        {
          sku: '24',
          description: 'Cabinet with Doors',
          quantity: 5,
          unitPrice: 410,
          discount: 0.1,
          quantityShipped: 3,
        },
      ],
    });
    const invoices = await pullAll(rt, 'invoices');
    expect(invoices.records.map((r) => r.payload)).toEqual([
      {
        externalId: 'INV/2026/00031',
        customerExternalId: '14',
        orderExternalId: 'S00007',
        issuedAt: '2026-11-05T00:00:00.000Z',
        dueAt: '2026-12-05T00:00:00.000Z',
        currency: 'USD',
        totalAmount: 2947.5,
        paidAmount: 2000,
        status: 'PARTIALLY_PAID',
      },
    ]);
    const pickings = await pullAll(rt, 'pickings');
    expect(pickings.records.map((r) => r.payload)).toEqual([
      {
        externalId: 'WH/OUT/00041',
        status: 'DELIVERED',
        sourceStatus: 'done',
        orderExternalId: 'S00007',
        customerExternalId: '26',
        promisedTo: '2026-11-07T17:00:00.000Z',
        deliveredAt: '2026-11-06T16:19:55.000Z',
        trackingRefs: ['1Z999AA10123456784'],
      },
    ]);

    // Nothing changed: nothing comes. Then Gemini's phone changes in Odoo: only Gemini comes.
    expect((await pullAll(rt, 'partners', partners.cursor)).records).toEqual([]);
    const gemini = odoo.data['res.partner'].find((r) => r.id === 11)!;
    Object.assign(gemini, { phone: '(941)-284-0000', write_date: '2026-11-20 07:00:00' });
    const second = await pullAll(rt, 'partners', partners.cursor);
    expect(second.records.map((r) => [r.key, (r.payload as { phone: string }).phone])).toEqual([
      ['11', '(941)-284-0000'],
    ]);
    const last = odoo.calls
      .filter((c) => c.model === 'res.partner' && JSON.stringify(c.domain[0]) === '["parent_id","=",false]')
      .pop()!;
    expect(last.domain).toEqual([
      ['parent_id', '=', false],
      '|',
      ['write_date', '>', '2026-11-03 14:30:12'],
      '&',
      ['write_date', '=', '2026-11-03 14:30:12'],
      ['id', '>', 11],
    ]);
    expect(last.kwargs).toMatchObject({ order: 'write_date asc, id asc', limit: 2 });
  });

  it("reads Odoo's false as empty everywhere: no date_deadline falls back to scheduled_date as the promise", async () => {
    const picking = odoo.data['stock.picking'][0];
    const deadline = picking.date_deadline;
    picking.date_deadline = false;
    const [first] = (await pullAll(runtime(URL_), 'pickings')).records;
    expect(first.payload).toMatchObject({
      externalId: 'WH/OUT/00041',
      promisedTo: '2026-11-06T08:00:00.000Z',
    });
    picking.date_deadline = deadline;
  });

  it('names what was expected where when Odoo answers an object instead of a list', async () => {
    const SHAPE = 'http://odoo-shape.test';
    nock(SHAPE)
      .post('/jsonrpc')
      .times(5)
      .reply(200, (_uri, body) => {
        const { id, params } = body as { id: number; params: { service: string; method: string } };
        if (params.method === 'authenticate') return { jsonrpc: '2.0', id, result: 2 };
        if (params.method === 'version')
          return { jsonrpc: '2.0', id, result: { server_version: '17.0', server_version_info: [17, 0] } };
        return { jsonrpc: '2.0', id, result: { records: [] } }; // a list was expected
      });
    await expect(runtime(SHAPE).pull!('partners', null)).rejects.toMatchObject({
      kind: 'permanent',
      field: 'res.partner.search_read.result',
      message: expect.stringMatching(
        /res\.partner\.search_read: expected a list of records in result, got object/,
      ),
    });
    nock.removeInterceptor({ hostname: 'odoo-shape.test', path: '/jsonrpc', method: 'POST' });
  });

  it('names the record and field of a malformed row', async () => {
    odoo.data['account.move'][0].invoice_date = '05/11/2026';
    await expect(runtime(URL_).pull!('invoices', null)).rejects.toMatchObject({
      kind: 'permanent',
      field: 'account.move[31].invoice_date',
    });
    odoo.data['account.move'][0].invoice_date = '2026-11-05';
  });
});

describe('erp-odoo on Odoo 18', () => {
  const URL_ = 'http://odoo18.test';
  it('does not ask for res.partner.mobile, which Odoo 18 no longer has', async () => {
    const data = copy();
    data.version = { server_version: '18.0', server_version_info: [18, 0, 0, 'final', 0, ''] };
    for (const p of data['res.partner']) delete p.mobile;
    const odoo = fakeOdoo(URL_, data, KEY);
    const { records } = await pullAll(runtime(URL_), 'partners');
    expect(records).toHaveLength(3);
    expect(odoo.calls[0].kwargs.fields).not.toContain('mobile');
    // The same server answering as 17 would be asked for mobile, and refuse it: version matters.
    data.version = RECORDS.version;
    await expect(runtime(URL_).pull!('partners', null)).rejects.toMatchObject({ kind: 'permanent' });
  });
});

describe("Odoo's error envelope", () => {
  it.each([
    ['odoo.exceptions.AccessDenied', 'Access Denied', 'auth'],
    ['odoo.exceptions.AccessError', 'You are not allowed to access Contact (res.partner) records.', 'auth'],
    ['odoo.http.SessionExpiredException', 'Session expired', 'auth'],
    ['odoo.exceptions.MissingError', 'Record does not exist or has been deleted.', 'permanent'],
    ['odoo.exceptions.ValidationError', 'The VAT number is not valid', 'permanent'],
    [
      'psycopg2.errors.SerializationFailure',
      'could not serialize access due to concurrent update',
      'retryable',
    ],
  ])('%s → %s', (name, message, kind) => {
    const e = odooError(
      { code: 200, message: 'Odoo Server Error', data: { name, message } },
      'odoo object.execute_kw',
    );
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(message);
  });

  it('check() answers auth to a wrong API key and never shows it', async () => {
    const URL_ = 'http://odoo-auth.test';
    fakeOdoo(URL_, copy(), KEY);
    const bad = await runtime(URL_, { apiKey: 'wrong-key-123456' }).check();
    expect(bad).toMatchObject({ ok: false, code: 'auth' });
    expect(bad.message).not.toContain('wrong-key-123456');
    expect(await runtime(URL_).check()).toMatchObject({
      ok: true,
      message: 'logged in to Odoo 17.0+e (tradelane)',
    });
  });
});

/**
 * A CRM fulfilment request written as a 940 by the connector's send, read back by our own 940
 * reader (the same values) and by node-x12 in strict mode; control numbers per request.
 * Real: the plugin, a temporary outbound folder. Mocked: nothing (no host: derived control numbers).
 */
import { ConnectorError } from '@tradelane/connector-sdk';
import { partnersFrom, x12Inbound } from '@tradelane/connector-sdk/edi';
import { createEnvelope, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WAREHOUSE_X12_SETS, warehouseX12Connector } from '../warehouse-x12.connector';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-940-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const REQUEST: OrderFulfilmentRequestedV1 = {
  requestId: '0193a5b0-0000-7000-8000-000000000001',
  orderSource: 'erp-sap-idoc:main',
  orderExternalId: 'SO-10643',
  depositor: {
    name: 'Alfreds Futterkiste',
    externalId: 'ALFKI',
    street: 'Obere Str. 57',
    city: 'Berlin',
    postalCode: '12209',
    country: 'DE',
  },
  shipTo: { name: 'Consignee *Nord~', externalId: 'NORD-1', city: 'Hamburg', country: 'DE' },
  orderedAt: '2026-11-30T09:15:00.000Z',
  requiredAt: '2026-12-04T16:00:00.000Z',
  carrier: 'UPS GROUND',
  lines: [
    { sku: 'SKU-4711', description: 'Rhönbräu Klosterbier', quantity: 24 },
    { sku: 'SKU-0815', quantity: 3 },
  ],
  note: 'ship on CHEP pallets',
  toSources: ['warehouse-x12:dc1'],
};

const runtime = () =>
  warehouseX12Connector.create(
    Object.assign(new warehouseX12Connector.configSchema(), {
      outboundFolder: out,
      warehouseQualifier: 'ZZ',
      warehouseId: 'DC1',
      interchangeQualifier: 'ZZ',
      interchangeId: 'TRADELANE',
      partners: [],
    }),
    { instance: 'warehouse-x12:dc1', tenant: 'default', log: () => undefined },
  );

const send = async (id: string, payload: OrderFulfilmentRequestedV1 = REQUEST) => {
  const event = createEnvelope({
    id,
    type: 'crm.order.fulfilment-requested.v1',
    source: 'tradelane-crm',
    key: payload.orderExternalId,
    occurredAt: '2026-12-01T10:00:00.000Z',
    payload,
  });
  await runtime().send?.(event, {});
  return fs.readdirSync(out).filter((f) => f.startsWith(`940_${payload.orderExternalId}_`));
};

it('writes a 940 that our reader turns back into the same order, and node-x12 reads strictly', async () => {
  const [file] = await send('0193a5b0-0000-7000-8000-0000000000a1');
  const text = fs.readFileSync(path.join(out, file), 'utf8');
  expect(() => new X12Parser(true).parse(text)).not.toThrow();
  const back = await x12Inbound(Buffer.from(text), {
    mappers: WAREHOUSE_X12_SETS,
    partner: partnersFrom([
      {
        id: 'us',
        name: 'ourselves',
        standard: 'x12',
        qualifier: 'ZZ',
        interchangeId: 'TRADELANE',
        acknowledgement: 'none',
        controlCounts: 'reject',
        timeZone: 'UTC',
        paymentTermsDays: 30,
        transactionSets: [],
        versions: [],
      },
    ]),
    us: { qualifier: 'ZZ', id: 'DC1' },
  });
  expect(back.records.map((r) => r.rejected)).toEqual([undefined]);
  expect(back.records[0].payload).toEqual({
    externalId: REQUEST.orderExternalId,
    customerExternalId: 'ALFKI',
    parties: [{ role: 'consignee', customerExternalId: 'NORD-1' }],
    status: 'new',
    orderedAt: REQUEST.orderedAt,
    requiredAt: REQUEST.requiredAt,
    carrier: REQUEST.carrier,
    lines: [
      { sku: 'SKU-4711', description: 'Rhönbräu Klosterbier', quantity: 24, unitPrice: 0 },
      { sku: 'SKU-0815', quantity: 3, unitPrice: 0 },
    ],
  });
  // Delimiters in a name never break the interchange: they are written as spaces.
  expect(text).toContain('N1*ST*Consignee  Nord*91*NORD-1~');
});

it('gives each request its own control numbers and a retry of one the same file', async () => {
  const first = await send('0193a5b0-0000-7000-8000-0000000000b1', { ...REQUEST, orderExternalId: 'SO-2' });
  const again = await send('0193a5b0-0000-7000-8000-0000000000b1', { ...REQUEST, orderExternalId: 'SO-2' });
  expect(again).toEqual(first);
  const other = await send('0193a5b0-0000-7000-8000-0000000000b2', { ...REQUEST, orderExternalId: 'SO-2' });
  expect(other).toHaveLength(2);
});

it('refuses an order number longer than W0502 allows, naming the field, instead of cutting it', async () => {
  await expect(
    send('0193a5b0-0000-7000-8000-0000000000c1', { ...REQUEST, orderExternalId: 'X'.repeat(23) }),
  ).rejects.toThrow(
    new ConnectorError(
      'permanent',
      `W0502 (order number) "${'X'.repeat(23)}" is longer than the 22 characters X12 allows`,
    ),
  );
});

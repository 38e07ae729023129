/**
 * Tenders both ways: a 204 received is answered with a 990 (accepted when taken, declined naming the
 * reason when rejected) that our own 990 reader reads back; a CRM fulfilment request sent to the
 * carrier becomes a 204 our 204 reader turns back into the same transport order; both parse with
 * node-x12 in strict mode. Real: the plugin, a temporary outbound folder. Mocked: nothing (no host:
 * derived control numbers).
 */
import { partnersFrom, readX12, x12Inbound } from '@tradelane/connector-sdk/edi';
import { testPartner } from '@tradelane/connector-sdk/testing';
import { createEnvelope, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRANSPORT_X12_SETS, transportX12Connector } from '../transport-x12.connector';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-tender-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
const FIXTURE = fs.readFileSync(
  path.join(__dirname, '..', '__fixtures__', 'blueseer_204_load_tender.txt'),
  'utf8',
);

const runtime = () =>
  transportX12Connector.create(
    Object.assign(new transportX12Connector.configSchema(), {
      outboundFolder: out,
      interchangeQualifier: '02',
      interchangeId: 'BLUESEER',
      scac: 'BLSR',
      tenderResponses: 'accept',
      carrierQualifier: '02',
      carrierId: 'FASTCARRIER',
      carrierScac: 'FAST',
      partners: [
        {
          name: 'Shipper 999',
          qualifier: '01',
          id: '999999999',
          customerExternalId: 'ZULU',
          acknowledgement: '997',
          controlCounts: 'warn',
          timeZone: 'UTC',
          paymentTermsDays: 30,
          transactionSets: [],
          versions: [],
        },
      ],
    }),
    { instance: 'transport-x12:carrier', tenant: 'default', log: () => undefined },
  );

/** Our 990 read back with our 990 reader (the shipper's side: we are its partner). */
async function read990(file: string) {
  const text = fs.readFileSync(path.join(out, file), 'utf8');
  expect(() => new X12Parser(true).parse(text)).not.toThrow();
  const r = await x12Inbound(Buffer.from(text), {
    mappers: TRANSPORT_X12_SETS,
    partner: partnersFrom([testPartner('x12', 'us', '02', 'BLUESEER', { acknowledgement: 'none' })]),
    us: { qualifier: '01', id: '999999999' },
  });
  return r.records.map((x) => [
    x.key,
    (x.payload as { status: string }).status,
    (x.payload as { note?: string }).note,
  ]);
}

it('answers a 204 taken with a 990 accepting it, and a rejected one with a 990 declining it with the reason', async () => {
  await runtime().accept?.('x12', Buffer.from(FIXTURE), { 'x-file-name': 'tender.edi' });
  const accepted = fs.readdirSync(out).find((f) => f.startsWith('990_999999999_002220601_'));
  expect(accepted).toBeDefined();
  expect(await read990(accepted as string)).toEqual([['751027', 'PLANNED', 'tender accepted']]);

  const broken = FIXTURE.replace('G62*69*20230831', 'G62*69*20231331').replace('002220601', '002220602');
  await runtime().accept?.('x12', Buffer.from(broken), { 'x-file-name': 'broken.edi' });
  const declined = fs.readdirSync(out).find((f) => f.startsWith('990_999999999_002220602_'));
  expect(await read990(declined as string)).toEqual([
    ['751027', 'CANCELLED', 'tender declined: G6202 (segment 9): "20231331"'],
  ]);
});

it('tenders a CRM order to the carrier as a 204 that our reader turns back into the same transport order', async () => {
  const request: OrderFulfilmentRequestedV1 = {
    requestId: '0193a5b0-0000-7000-8000-0000000000d1',
    orderSource: 'erp-sap-idoc:main',
    orderExternalId: 'SO-204-1',
    depositor: { name: 'Alfreds Futterkiste', externalId: 'ALFKI', city: 'Berlin', country: 'DE' },
    shipTo: {
      name: 'Nord Consignee',
      externalId: 'NORD-1',
      street: 'Hafenstr. 1',
      city: 'Hamburg',
      country: 'DE',
    },
    orderedAt: '2026-11-30T09:15:00.000Z',
    requiredAt: '2026-12-04T00:00:00.000Z',
    lines: [{ sku: 'SKU-1', quantity: 4 }],
    toSources: ['transport-x12:carrier'],
  };
  const event = createEnvelope({
    id: '0193a5b0-0000-7000-8000-0000000000d2',
    type: 'crm.order.fulfilment-requested.v1',
    source: 'tradelane-crm',
    key: 'SO-204-1',
    payload: request,
  });
  await runtime().send?.(event, {});
  const file = fs.readdirSync(out).find((f) => f.startsWith('204_SO-204-1_')) as string;
  const text = fs.readFileSync(path.join(out, file), 'utf8');
  expect(() => new X12Parser(true).parse(text)).not.toThrow();
  expect(readX12(text).interchanges[0].receiver).toEqual({ qualifier: '02', id: 'FASTCARRIER' });
  const back = await x12Inbound(Buffer.from(text), {
    mappers: TRANSPORT_X12_SETS,
    partner: partnersFrom([
      testPartner('x12', 'us', '02', 'BLUESEER', { customerExternalId: 'ALFKI', acknowledgement: 'none' }),
    ]),
    us: { qualifier: '02', id: 'FASTCARRIER' },
  });
  expect(back.records.map((r) => r.rejected)).toEqual([undefined]);
  expect(back.records[0].payload).toMatchObject({
    externalId: 'SO-204-1',
    customerExternalId: 'ALFKI',
    status: 'tendered',
    carrier: 'FAST',
    requiredAt: '2026-12-04T00:00:00.000Z',
    parties: [
      { role: 'shipper', customerExternalId: 'ALFKI' },
      { role: 'consignee', customerExternalId: 'NORD-1' },
    ],
  });
});

/**
 * A CRM customer update for a customer SAP holds becomes a DEBMAS file in the outbound folder that
 * round-trips through our own parser to the CRM's values; a retry rewrites the same file.
 * Real: the plugin and a temporary folder. Mocked: nothing.
 */
import { parseConnectorConfig } from '@tradelane/connector-sdk';
import { createEnvelope } from '@tradelane/contracts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { erpSapIdocConnector } from './erp-sap-idoc.connector';
import { parseFlatIdocs } from './idoc/idoc.parser';
import { debmasToCustomer } from './mapping/idoc.mapper';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'debmas-out-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const runtime = (config: Record<string, unknown>) =>
  erpSapIdocConnector.create(parseConnectorConfig(erpSapIdocConnector, config), {
    instance: 'erp-sap-idoc:de',
    tenant: 'default',
    log: () => undefined,
  });

it('writes a CRM customer update as DEBMAS that reads back to the same values', async () => {
  const rt = runtime({
    outboundFolder: out,
    receiverPort: 'SAPPRD',
    receiverPartner: 'PRDCLNT100',
    client: '100',
  });
  const event = createEnvelope({
    type: 'crm.customer.updated.v1',
    source: 'tradelane-crm',
    key: 'c1',
    occurredAt: '2026-11-23T10:15:30.000Z',
    payload: {
      customerId: 'c1',
      originSource: 'portal-web:main',
      originExternalId: 'P-9',
      changedFields: ['email', 'phone'],
    },
  });
  const fields = {
    name: 'Kühne Logistik Rotterdam',
    vatId: 'NL123456789B01',
    email: 'ap@kuehne-rotterdam.example',
    phone: '+31 10 123 4567',
    street: 'Waalhaven Oostzijde 1',
    city: 'Rotterdam',
    postalCode: '3087 BM',
    country: 'NL',
  };
  const context = {
    customer: {
      id: 'c1',
      fields,
      records: [{ externalId: '0000100042', sourceUpdatedAt: '2026-11-01T00:00:00.000Z' }],
    },
  };
  await rt.send!(event, context);
  await rt.send!(event, context); // a retry: the same file, not a second IDoc
  const files = fs.readdirSync(out);
  expect(files).toEqual([expect.stringMatching(/^DEBMAS_\d{16}\.txt$/)]);
  const [idoc] = parseFlatIdocs(fs.readFileSync(path.join(out, files[0]), 'utf8'));
  expect(idoc.control).toMatchObject({
    IDOCTYP: 'DEBMAS07',
    MESTYP: 'DEBMAS',
    RCVPRN: 'PRDCLNT100',
    MANDT: '100',
    CREDAT: '20261123',
  });
  expect(debmasToCustomer(idoc)).toEqual({ externalId: '0000100042', ...fields });

  // A customer SAP does not hold is not created (SAP numbers its customers); no folder, no sending.
  await rt.send!(event, { customer: { id: 'c2', fields, records: [] } });
  expect(fs.readdirSync(out)).toHaveLength(1);
  await expect(runtime({}).send!(event, context)).rejects.toMatchObject({
    kind: 'config',
    field: 'outboundFolder',
  });
});

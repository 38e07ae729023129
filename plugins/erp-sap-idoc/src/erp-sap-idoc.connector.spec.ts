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
import { debmasToCustomer } from './mapping/idoc.mapper';
import { parseFlatIdocs } from './mapping/idoc/idoc.parser';
import { idocToXml } from './mapping/idoc/idoc.xml';

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

it('reports the status of received IDocs back to SAP as ALEAUD01: 53 taken, 51 with the reason', async () => {
  const status = fs.mkdtempSync(path.join(os.tmpdir(), 'aleaud-'));
  const rt = runtime({ outboundFolder: status, statusBack: true, encoding: 'latin1' });
  const invoic = fs.readFileSync(path.join(__dirname, '__fixtures__', 'blueseer_INVOIC02_flatfile.txt'));
  expect(await rt.accept!('idoc', invoic, {})).toHaveLength(1);
  const broken = Buffer.from(
    invoic
      .toString('latin1')
      .replace(/E2EDS01.{56}011.*\r?\n/g, '')
      .replace(/E2EDS01.{56}010.*\r?\n/g, ''),
    'latin1',
  );
  const bad = Buffer.from(
    broken.toString('latin1').replace('0000000010276229', '0000000010276230'),
    'latin1',
  );
  await expect(rt.accept!('idoc', bad, {})).rejects.toMatchObject({ kind: 'permanent' });
  const files = fs.readdirSync(status).sort();
  expect(files).toEqual(['ALEAUD_0000000010276229.txt', 'ALEAUD_0000000010276230.txt']);
  const [ok] = parseFlatIdocs(fs.readFileSync(path.join(status, files[0]), 'latin1'));
  expect(ok.control).toMatchObject({
    IDOCTYP: 'ALEAUD01',
    MESTYP: 'ALEAUD',
    RCVPRN: 'PENCLNT110',
    RCVPOR: 'IDOCEN',
  });
  expect(ok.segments.map((s) => [s.type, s.fields])).toEqual([
    ['E1ADHDR', { MESTYP: 'INVOIC' }],
    ['E1STATE', { DOCNUM: '0000000010276229', STATUS: '53', STATXT: 'taken into Tradelane CRM' }],
  ]);
  const [err] = parseFlatIdocs(fs.readFileSync(path.join(status, files[1]), 'latin1'));
  expect(err.segments[1].fields).toMatchObject({ DOCNUM: '0000000010276230', STATUS: '51' });
  expect(err.segments[1].fields.STATXT).toMatch(/no invoice total/);
  fs.rmSync(status, { recursive: true, force: true });
});

it('keeps a status file inside its folder whatever DOCNUM the partner sent (no path traversal)', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aleaud-root-'));
  const status = path.join(root, 'a', 'b', 'c', 'out');
  fs.mkdirSync(status, { recursive: true });
  const rt = runtime({ outboundFolder: status, statusBack: true, encoding: 'latin1' });
  const [idoc] = parseFlatIdocs(
    fs.readFileSync(path.join(__dirname, '__fixtures__', 'blueseer_INVOIC02_flatfile.txt'), 'latin1'),
  );
  idoc.control.DOCNUM = '../../../../../x'; // fits the 16-character field
  await rt.accept!('idoc', Buffer.from(idocToXml(idoc), 'utf8'), {});
  const files = fs.readdirSync(status);
  expect(files).toEqual(['ALEAUD_.._.._.._.._.._x.txt']);
  // Nothing was written anywhere above the folder.
  const everything = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? everything(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  expect(everything(root)).toEqual([path.join(status, files[0])]);
  expect(fs.existsSync(path.join(os.tmpdir(), 'ALEAUD_x.txt'))).toBe(false);
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * D365 customers (CustCustomerV3Entity DMF export, written inline after Microsoft's entity
 * documentation: the project has no captured customer export) become canonical customers; a file with customers and orders
 * gives both through the connector; empty elements are nothing.
 */
import { createEnvelope, validateEnvelope } from '@tradelane/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { erpD365Connector } from '../erp-d365.connector';
import { d365ToCustomers } from './d365.mapper';

const CUSTOMERS = `<?xml version="1.0" encoding="utf-8"?>
<Document>
  <CustCustomerV3Entity>
    <CUSTOMERACCOUNT>US-003</CUSTOMERACCOUNT>
    <ORGANIZATIONNAME>Contoso Europe</ORGANIZATIONNAME>
    <PERSONFIRSTNAME/>
    <PERSONLASTNAME/>
    <TAXEXEMPTNUMBER>NL 8188.22.154 B01</TAXEXEMPTNUMBER>
    <PRIMARYCONTACTEMAIL>contoso.europe@vendor8.consolidatedmessenger.com</PRIMARYCONTACTEMAIL>
    <PRIMARYCONTACTPHONE/>
    <ADDRESSSTREET>Endor 12</ADDRESSSTREET>
    <ADDRESSCITY>Rotterdam</ADDRESSCITY>
    <ADDRESSZIPCODE>3011 AA</ADDRESSZIPCODE>
    <ADDRESSCOUNTRYREGIONID>NLD</ADDRESSCOUNTRYREGIONID>
  </CustCustomerV3Entity>
  <CustCustomerV3Entity>
    <CUSTOMERACCOUNT>US-104</CUSTOMERACCOUNT>
    <ORGANIZATIONNAME/>
    <PERSONFIRSTNAME>Ada</PERSONFIRSTNAME>
    <PERSONLASTNAME>Lovelace</PERSONLASTNAME>
    <TAXEXEMPTNUMBER>998765</TAXEXEMPTNUMBER>
  </CustCustomerV3Entity>
</Document>`;

it('maps customers: organisation or person name, VAT when it is one, nothing for empty elements', () => {
  const customers = d365ToCustomers(CUSTOMERS);
  expect(customers).toEqual([
    {
      externalId: 'US-003',
      name: 'Contoso Europe',
      vatId: 'NL818822154B01',
      email: 'contoso.europe@vendor8.consolidatedmessenger.com',
      street: 'Endor 12',
      city: 'Rotterdam',
      postalCode: '3011 AA',
      country: 'NLD',
    },
    { externalId: 'US-104', name: 'Ada Lovelace' }, // 998765 is a tax-exempt number, not a VAT id
  ]);
  for (const payload of customers)
    expect(() =>
      validateEnvelope(
        createEnvelope({
          type: 'erp.customer.upserted.v1',
          source: 'erp-d365:t',
          key: 'k',
          payload,
        }) as never,
      ),
    ).not.toThrow();
  expect(() =>
    d365ToCustomers(CUSTOMERS.replace('<CUSTOMERACCOUNT>US-104</CUSTOMERACCOUNT>', '<CUSTOMERACCOUNT/>')),
  ).toThrow(/^CustCustomerV3Entity\[2\]\/CUSTOMERACCOUNT: the customer account is empty/);
});

it('takes customers and sales orders from one file through the connector', async () => {
  const orders = fs.readFileSync(
    path.join(__dirname, '..', '__fixtures__', 'blueseer_D365_DMF_SalesOrderHeaderV2_ex1.xml'),
    'utf8',
  );
  const both = orders.replace(
    '</Document>',
    CUSTOMERS.split('<Document>')[1].replace('</Document>', '') + '</Document>',
  );
  const rt = erpD365Connector.create({ webhookSecret: undefined } as never, {
    instance: 'erp-d365:t',
    tenant: 'default',
    log: () => undefined,
  });
  const records = await rt.accept!('dmf', Buffer.from(both), { 'x-received-at': '2026-11-23T10:00:00.000Z' });
  expect(records.map((r) => [r.type, r.key])).toEqual([
    ['customer.upserted', 'US-003'],
    ['customer.upserted', 'US-104'],
    ['order.upserted', expect.stringMatching(/^D365-/)],
  ]);
  // A customers-only export is fine; a file with neither is refused.
  expect(
    await rt.accept!('dmf', Buffer.from(CUSTOMERS), { 'x-received-at': '2026-11-23T10:00:00.000Z' }),
  ).toHaveLength(2);
  await expect(
    rt.accept!('dmf', Buffer.from('<Document/>'), { 'x-received-at': '2026-11-23T10:00:00.000Z' }),
  ).rejects.toMatchObject({
    kind: 'permanent',
  });
});

/**
 * DELVRY03 (outbound delivery) in SAP's XML form becomes delivery.status-changed: goods issue posted
 * = picked up and in transit, else planned with the promised date; sold-to customer, ship-to as the
 * consignee, the sales order. The XML below is written inline after SAP's DELVRY03 / SHPMNT05
 * documentation (the project has no captured sample of either); the flat form is tested over a
 * reconstructed file in shpmnt.flat.spec.ts.
 */
import { createEnvelope, validateEnvelope } from '@tradelane/contracts';
import { idocRecords } from '../erp-sap-idoc.connector';
import { toCanonical, toCanonicalAll } from './idoc.mapper';
import { parseXmlIdocs } from './idoc/idoc.xml';

const delvry = (dates: string) => `<?xml version="1.0" encoding="UTF-8"?>
<DELVRY03>
  <IDOC BEGIN="1">
    <EDI_DC40 SEGMENT="1"><TABNAM>EDI_DC40</TABNAM><DOCNUM>0000000000777001</DOCNUM><IDOCTYP>DELVRY03</IDOCTYP><MESTYP>DESADV</MESTYP><CREDAT>20261120</CREDAT><CRETIM>150000</CRETIM></EDI_DC40>
    <E1EDL20 SEGMENT="1">
      <VBELN>0080012345</VBELN><VSTEL>1000</VSTEL><TRAID>NL-HX-204</TRAID>
      <E1ADRM1 SEGMENT="1"><PARTNER_Q>AG</PARTNER_Q><PARTNER_ID>0000100042</PARTNER_ID></E1ADRM1>
      <E1ADRM1 SEGMENT="1"><PARTNER_Q>WE</PARTNER_Q><PARTNER_ID>0000100077</PARTNER_ID></E1ADRM1>
      ${dates}
      <E1EDL24 SEGMENT="1"><POSNR>000010</POSNR><MATNR>KF-1001</MATNR><LFIMG>24.000</LFIMG><VRKME>CS</VRKME></E1EDL24>
      <E1EDL43 SEGMENT="1"><QUALF>C</QUALF><BELNR>0000012345</BELNR></E1EDL43>
    </E1EDL20>
  </IDOC>
</DELVRY03>`;

const promised =
  '<E1EDT13 SEGMENT="1"><QUALF>007</QUALF><NTEND>20261124</NTEND><NTENZ>170000</NTENZ></E1EDT13>';
const issued = '<E1EDT13 SEGMENT="1"><QUALF>006</QUALF><ISDD>20261121</ISDD><ISDZ>091500</ISDZ></E1EDT13>';

it('a delivery with goods issue posted is in transit, with its parties, order and promised date', () => {
  const [idoc] = parseXmlIdocs(delvry(promised + issued));
  const c = toCanonical(idoc);
  expect(c).toEqual({
    type: 'delivery.status-changed',
    payload: {
      externalId: '0080012345',
      status: 'IN_TRANSIT',
      sourceStatus: 'goods issue posted',
      orderExternalId: '0000012345',
      customerExternalId: '0000100042',
      parties: [{ role: 'consignee', customerExternalId: '0000100077' }],
      pickedUpAt: '2026-11-21T09:15:00.000Z',
      promisedTo: '2026-11-24T17:00:00.000Z',
      trackingRefs: ['NL-HX-204'],
    },
  });
  expect(() =>
    validateEnvelope(
      createEnvelope({
        type: 'erp.delivery.status-changed.v1',
        source: 'erp-sap-idoc:t',
        key: 'k',
        payload: c.payload as never,
      }) as never,
    ),
  ).not.toThrow();
});

it('a delivery without goods issue is planned; one without number or parties is refused naming where', () => {
  expect(toCanonical(parseXmlIdocs(delvry(promised))[0]).payload).toMatchObject({
    status: 'PLANNED',
    sourceStatus: 'delivery created',
  });
  expect(() => toCanonical(parseXmlIdocs(delvry('').replace('<VBELN>0080012345</VBELN>', ''))[0])).toThrow(
    /^IDOC\[1\]\/E1EDL20\[1\]\/VBELN: no delivery number/,
  );
});

const shipment = (sttrg: string) => `<?xml version="1.0" encoding="UTF-8"?>
<SHPMNT05>
  <IDOC BEGIN="1">
    <EDI_DC40 SEGMENT="1"><TABNAM>EDI_DC40</TABNAM><DOCNUM>0000000000888001</DOCNUM><IDOCTYP>SHPMNT05</IDOCTYP><MESTYP>SHPMNT</MESTYP><CREDAT>20261122</CREDAT><CRETIM>180000</CRETIM></EDI_DC40>
    <E1EDT20 SEGMENT="1">
      <TKNUM>0000004711</TKNUM><SHTYP>0001</SHTYP><SIGNI>HX-204-NL</SIGNI><EXTI1>MSKU1234565</EXTI1><STTRG>${sttrg}</STTRG>
      <E1EDL20 SEGMENT="1">
        <VBELN>0080012345</VBELN>
        <E1ADRM1 SEGMENT="1"><PARTNER_Q>AG</PARTNER_Q><PARTNER_ID>0000100042</PARTNER_ID></E1ADRM1>
        <E1ADRM1 SEGMENT="1"><PARTNER_Q>WE</PARTNER_Q><PARTNER_ID>0000100077</PARTNER_ID></E1ADRM1>
        <E1EDL43 SEGMENT="1"><QUALF>C</QUALF><BELNR>0000012345</BELNR></E1EDL43>
      </E1EDL20>
      <E1EDL20 SEGMENT="1">
        <VBELN>0080012346</VBELN>
        <E1ADRM1 SEGMENT="1"><PARTNER_Q>AG</PARTNER_Q><PARTNER_ID>0000100099</PARTNER_ID></E1ADRM1>
      </E1EDL20>
    </E1EDT20>
  </IDOC>
</SHPMNT05>`;

it('a shipment becomes one status change per delivery it carries, at the transport status', () => {
  const [idoc] = parseXmlIdocs(shipment('6'));
  expect(toCanonicalAll(idoc).map((c) => c.payload)).toEqual([
    {
      externalId: '0080012345',
      status: 'IN_TRANSIT',
      sourceStatus: 'shipment started',
      orderExternalId: '0000012345',
      customerExternalId: '0000100042',
      parties: [{ role: 'consignee', customerExternalId: '0000100077' }],
      trackingRefs: ['0000004711', 'HX-204-NL', 'MSKU1234565'],
    },
    {
      externalId: '0080012346',
      status: 'IN_TRANSIT',
      sourceStatus: 'shipment started',
      customerExternalId: '0000100099',
      trackingRefs: ['0000004711', 'HX-204-NL', 'MSKU1234565'],
    },
  ]);
  const ended = toCanonicalAll(parseXmlIdocs(shipment('7'))[0]);
  expect(ended[0].payload).toMatchObject({ status: 'DELIVERED', deliveredAt: '2026-11-22T18:00:00.000Z' });
  expect(() => toCanonicalAll(parseXmlIdocs(shipment('9'))[0])).toThrow(
    /E1EDT20\[1\]\/STTRG: unknown transport status "9"/,
  );
  // Through the connector: two records from one IDoc.
  expect(idocRecords(Buffer.from(shipment('6')), 'utf8').map((r) => [r.type, r.key])).toEqual([
    ['delivery.status-changed', '0080012345'],
    ['delivery.status-changed', '0080012346'],
  ]);
});

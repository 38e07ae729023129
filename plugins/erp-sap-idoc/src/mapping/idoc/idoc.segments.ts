/**
 * IDoc record layouts as data: SAP's control record (EDI_DC40), the data record header (EDI_DD40)
 * and, per IDoc type, the segments we read or write with their fields' lengths in order (offsets
 * follow). Taken from SAP's segment documentation (transaction WE60 shows the same for a system);
 * a segment type in a record may carry its version (`E2EDK01005` = E2EDK01 version 005).
 */
export type Layout = readonly (readonly [field: string, length: number])[];

export interface Field {
  name: string;
  /** 0-based offset in the record (control) or in SDATA (segments). */
  offset: number;
  length: number;
}

export function fieldsOf(layout: Layout): Field[] {
  let offset = 0;
  return layout.map(([name, length]) => {
    const f = { name, offset, length };
    offset += length;
    return f;
  });
}

export const CONTROL: Layout = [
  ['TABNAM', 10],
  ['MANDT', 3],
  ['DOCNUM', 16],
  ['DOCREL', 4],
  ['STATUS', 2],
  ['DIRECT', 1],
  ['OUTMOD', 1],
  ['EXPRSS', 1],
  ['TEST', 1],
  ['IDOCTYP', 30],
  ['CIMTYP', 30],
  ['MESTYP', 30],
  ['MESCOD', 3],
  ['MESFCT', 3],
  ['STD', 1],
  ['STDVRS', 6],
  ['STDMES', 6],
  ['SNDPOR', 10],
  ['SNDPRT', 2],
  ['SNDPFC', 2],
  ['SNDPRN', 10],
  ['SNDSAD', 21],
  ['SNDLAD', 70],
  ['RCVPOR', 10],
  ['RCVPRT', 2],
  ['RCVPFC', 2],
  ['RCVPRN', 10],
  ['RCVSAD', 21],
  ['RCVLAD', 70],
  ['CREDAT', 8],
  ['CRETIM', 6],
  ['REFINT', 14],
  ['REFGRP', 14],
  ['REFMES', 14],
  ['ARCKEY', 70],
  ['SERIAL', 20],
];

/** Data record header; SDATA (up to 1000 characters) follows at column 64. */
export const DATA_HEADER: Layout = [
  ['SEGNAM', 30],
  ['MANDT', 3],
  ['DOCNUM', 16],
  ['SEGNUM', 6],
  ['PSGNUM', 6],
  ['HLEVEL', 2],
];
export const SDATA_OFFSET = 63;
export const SDATA_LENGTH = 1000;

const E2EDK01: Layout = [
  ['ACTION', 3],
  ['KZABS', 1],
  ['CURCY', 3],
  ['HWAER', 3],
  ['WKURS', 12],
  ['ZTERM', 17],
  ['KUNDEUINR', 20],
  ['EIGENUINR', 20],
  ['BSART', 4],
  ['BELNR', 35],
  ['NTGEW', 18],
  ['BRGEW', 18],
  ['GEWEI', 3],
  ['FKART_RL', 4],
  ['ABLAD', 25],
  ['BSTZD', 4],
  ['VSART', 2],
  ['VSART_BEZ', 20],
  ['RECIPNT_NO', 10],
  ['KZAZU', 1],
  ['AUTLF', 1],
  ['AUGRU', 3],
  ['AUGRU_BEZ', 40],
  ['ABRVW', 3],
  ['ABRVW_BEZ', 20],
  ['FKTYP', 1],
  ['LIFSK', 2],
  ['LIFSK_BEZ', 20],
  ['EMPST', 25],
  ['ABTNR', 4],
  ['DELCO', 3],
  ['WKURS_M', 12],
];
const E2EDK02: Layout = [
  ['QUALF', 3],
  ['BELNR', 35],
  ['POSNR', 6],
  ['DATUM', 8],
  ['UZEIT', 6],
];
const E2EDK03: Layout = [
  ['IDDAT', 3],
  ['DATUM', 8],
  ['UZEIT', 6],
];
const E2EDK14: Layout = [
  ['QUALF', 3],
  ['ORGID', 35],
];
const E2EDK18: Layout = [
  ['QUALF', 3],
  ['TAGE', 8],
  ['PRZNT', 8],
  ['ZTERM_TXT', 70],
];
const E2EDKA1: Layout = [
  ['PARVW', 3],
  ['PARTN', 17],
  ['LIFNR', 17],
  ['NAME1', 35],
  ['NAME2', 35],
  ['NAME3', 35],
  ['NAME4', 35],
  ['STRAS', 35],
  ['STRS2', 35],
  ['PFACH', 35],
  ['ORT01', 35],
  ['COUNC', 9],
  ['PSTLZ', 9],
  ['PSTL2', 9],
  ['LAND1', 3],
  ['ABLAD', 35],
  ['PERNR', 30],
  ['PARNR', 30],
  ['TELF1', 25],
  ['TELF2', 25],
  ['TELBX', 25],
  ['TELFX', 25],
  ['TELTX', 25],
  ['TELX1', 25],
  ['SPRAS', 1],
  ['ANRED', 15],
  ['ORT02', 35],
  ['HAUSN', 6],
  ['STOCK', 6],
  ['REGIO', 3],
  ['PARGE', 1],
  ['ISOAL', 2],
  ['ISONU', 2],
  ['FCODE', 20],
  ['IHREZ', 30],
  ['BNAME', 35],
  ['PAORG', 30],
  ['ORGTX', 35],
  ['PAGRU', 30],
  ['KNREF', 30],
  ['ILNNR', 70],
  ['PFORT', 35],
  ['SPRAS_ISO', 2],
  ['TITLE', 15],
];
const E2EDP01: Layout = [
  ['POSEX', 6],
  ['ACTION', 3],
  ['PSTYP', 1],
  ['KZABS', 1],
  ['MENGE', 15],
  ['MENEE', 3],
  ['BMNG2', 15],
  ['PMENE', 3],
  ['ABFTZ', 7],
  ['VPREI', 15],
  ['PEINH', 9],
  ['NETWR', 18],
  ['ANETW', 18],
  ['SKFBP', 18],
  ['NTGEW', 18],
  ['GEWEI', 3],
  ['EINKZ', 1],
  ['CURCY', 3],
  ['PREIS', 18],
  ['MATKL', 9],
  ['UEPOS', 6],
  ['GRKOR', 3],
  ['EVERS', 7],
  ['BPUMN', 6],
  ['BPUMZ', 6],
  ['ABGRU', 2],
  ['ABGRT', 40],
  ['ANTLF', 1],
  ['FIXMG', 1],
  ['KZAZU', 1],
  ['BRGEW', 18],
  ['PSTYV', 4],
  ['EMPST', 25],
  ['ABTNR', 4],
  ['ABRVW', 3],
  ['WERKS', 4],
];
/** Item dates: the header's date layout. */
const E2EDP03 = E2EDK03;
const E2EDP19: Layout = [
  ['QUALF', 3],
  ['IDTNR', 35],
  ['KTEXT', 70],
];
const E2EDP26: Layout = [
  ['QUALF', 3],
  ['BETRG', 18],
];
const E2EDS01: Layout = [
  ['SUMID', 3],
  ['SUMME', 18],
  ['SUNIT', 3],
  ['WAERQ', 3],
];

/** DEBMAS customer master (07): general data of the customer. */
const E1KNA1M: Layout = [
  ['MSGFN', 3],
  ['KUNNR', 10],
  ['ANRED', 15],
  ['AUFSD', 2],
  ['BAHNE', 25],
  ['BAHNS', 25],
  ['BBBNR', 7],
  ['BBSNR', 5],
  ['BEGRU', 4],
  ['BRSCH', 4],
  ['BUBKZ', 1],
  ['DATLT', 14],
  ['DTAMS', 1],
  ['DTAWS', 2],
  ['ERDAT', 8],
  ['ERNAM', 12],
  ['EXABL', 1],
  ['FAKSD', 2],
  ['FISKN', 10],
  ['KNAZK', 2],
  ['KNRZA', 10],
  ['KONZS', 10],
  ['KTOKD', 4],
  ['KUKLA', 2],
  ['LAND1', 3],
  ['LIFNR', 10],
  ['LIFSD', 2],
  ['LOCCO', 10],
  ['LOEVM', 1],
  ['NAME1', 35],
  ['NAME2', 35],
  ['NAME3', 35],
  ['NAME4', 35],
  ['NIELS', 2],
  ['ORT01', 35],
  ['ORT02', 35],
  ['PFACH', 10],
  ['PSTL2', 10],
  ['PSTLZ', 10],
  ['REGIO', 3],
  ['COUNC', 3],
  ['CITYC', 4],
  ['RPMKR', 5],
  ['SORTL', 10],
  ['SPERR', 1],
  ['SPRAS', 1],
  ['STCD1', 16],
  ['STCD2', 11],
  ['STKZA', 1],
  ['STKZU', 1],
  ['STRAS', 35],
  ['TELBX', 15],
  ['TELF1', 16],
  ['TELF2', 16],
  ['TELFX', 31],
  ['TELTX', 30],
  ['TELX1', 30],
  ['LZONE', 10],
  ['XZEMP', 1],
  ['VBUND', 6],
  ['STCEG', 20],
];
/** DEBMAS: the customer's e-mail (address data, SMTP). */
const E1KNA1H: Layout = [
  ['MSGFN', 3],
  ['SMTP_ADDR', 241],
];

/**
 * DELVRY03 (outbound delivery) and the delivery segments of SHPMNT05. Every flat layout here is
 * checked field by field (name, offset, length) against SAP's published segment definitions in
 * idoc.segments.spec.ts (reference tables in __fixtures__), and SHPMNT05 against a flat file
 * reconstructed from those definitions.
 */
const E2EDL20: Layout = [
  ['VBELN', 10],
  ['VSTEL', 4],
  ['VKORG', 4],
  ['LSTEL', 2],
  ['VKBUR', 4],
  ['LGNUM', 3],
  ['ABLAD', 25],
  ['INCO1', 3],
  ['INCO2', 28],
  ['ROUTE', 6],
  ['VSBED', 2],
  ['BTGEW', 17],
  ['NTGEW', 15],
  ['GEWEI', 3],
  ['VOLUM', 15],
  ['VOLEH', 3],
  ['ANZPK', 5],
  ['BOLNR', 35],
  ['TRATY', 4],
  ['TRAID', 20],
  ['XABLN', 10],
  ['LIFEX', 35],
  ['PARID', 35],
  /** Proof of delivery: date and time. */
  ['PODAT', 8],
  ['POTIM', 6],
];
const E2ADRM1: Layout = [
  ['PARTNER_Q', 3],
  ['ADDRESS_T', 1],
  ['PARTNER_ID', 17],
  ['JURISDIC', 17],
  ['LANGUAGE', 2],
  ['FORMOFADDR', 15],
  ['NAME1', 40],
  ['NAME2', 40],
  ['NAME3', 40],
  ['NAME4', 40],
  ['NAME_TEXT', 50],
  ['NAME_CO', 40],
  ['LOCATION', 40],
  ['BUILDING', 10],
  ['FLOOR', 10],
  ['ROOM', 10],
  ['STREET1', 40],
  ['STREET2', 40],
  ['STREET3', 40],
  ['HOUSE_SUPL', 4],
  ['HOUSE_RANG', 10],
  ['POSTL_COD1', 10],
  ['POSTL_COD3', 10],
  ['POSTL_AREA', 15],
  ['CITY1', 40],
  ['CITY2', 40],
  ['POSTL_PBOX', 10],
  ['POSTL_COD2', 10],
  ['POSTL_CITY', 40],
  ['TELEPHONE1', 30],
  ['TELEPHONE2', 30],
  ['TELEFAX', 30],
  ['TELEX', 30],
  ['E_MAIL', 70],
  ['COUNTRY1', 3],
  ['COUNTRY2', 3],
  ['REGION', 3],
  ['COUNTY_COD', 3],
  ['COUNTY_TXT', 25],
  ['TZCODE', 6],
  ['TZDESC', 35],
];
const E2EDT13_FIELDS: Layout = [
  ['QUALF', 3],
  ['VSTZW', 4],
  ['VSTZW_BEZ', 20],
  ['NTANF', 8],
  ['NTANZ', 6],
  ['NTEND', 8],
  ['NTENZ', 6],
  ['TZONE_BEG', 6],
  ['ISDD', 8],
  ['ISDZ', 6],
  ['IEDD', 8],
  ['IEDZ', 6],
  ['TZONE_END', 6],
  ['VORNR', 4],
  ['VSTGA', 4],
  ['VSTGA_BEZ', 20],
  ['EVENT', 10],
  ['EVENT_ALI', 20],
];
const E2EDT13 = E2EDT13_FIELDS;
const E2EDL24: Layout = [
  ['POSNR', 6],
  ['MATNR', 18],
  ['MATWA', 18],
  ['ARKTX', 40],
  ['ORKTX', 40],
  ['SUGRD', 4],
  ['SUDRU', 1],
  ['MATKL', 9],
  ['WERKS', 4],
  ['LGORT', 4],
  ['CHARG', 10],
  ['KDMAT', 22],
  ['LFIMG', 15],
  ['VRKME', 3],
  ['LGMNG', 15],
  ['MEINS', 3],
  ['NTGEW', 15],
  ['BRGEW', 15],
  ['GEWEI', 3],
  ['VOLUM', 15],
  ['VOLEH', 3],
];
/** Reference to the sales order (QUALF C) or the customer's purchase order (QUALF 1). */
const E2EDL43: Layout = [
  ['QUALF', 1],
  ['BELNR', 35],
  ['POSNR', 6],
  ['DATUM', 8],
];

/** SHPMNT05 shipment header, in SAP's field order (an earlier layout here read STTRG blank). */
const E2EDT20: Layout = [
  ['TKNUM', 10],
  ['SHTYP', 4],
  ['ABFER', 1],
  ['ABWST', 1],
  ['BFART', 1],
  ['VSART', 2],
  ['LAUFK', 1],
  ['VSBED', 2],
  ['ROUTE', 6],
  ['SIGNI', 20],
  ['EXTI1', 20],
  ['EXTI2', 20],
  ['TPBEZ', 20],
  ['STTRG', 1],
  ['PKSTK', 1],
  ['DTMEG', 3],
  ['DTMEV', 3],
  ['DISTZ', 15],
  ['MEDST', 3],
  ['FAHZT', 7],
  ['GESZT', 7],
  ['MEIZT', 3],
  ['FBSTA', 1],
  ['FBGST', 1],
  ['ARSTA', 1],
  ['ARGST', 1],
  ['STERM_DONE', 1],
  ['VSE_FRK', 1],
  ['KKALSM', 6],
  ['SDABW', 4],
  ['FRKRL', 1],
  ['GESZTD', 12],
  ['FAHZTD', 12],
  ['GESZTDA', 12],
  ['FAHZTDA', 12],
  ['WARZTD', 12],
  ['WARZTDA', 12],
];
/** SHPMNT05 shipment deadlines (planned / actual start and end of the shipment, with their zones). */
const E2EDT10: Layout = E2EDT13_FIELDS;

/** ALEAUD01 (audit: status of IDocs received, sent back to the sender). */
const E1ADHDR: Layout = [
  ['MESTYP', 30],
  ['MESCOD', 3],
  ['MESFCT', 3],
  ['MESTYP_LNG', 30],
];
const E1STATE: Layout = [
  ['DOCNUM', 16],
  ['STATUS', 2],
  ['STACOD', 8],
  ['STATXT', 70],
  ['STAPA1', 50],
  ['STAPA2', 50],
  ['STAPA3', 50],
  ['STAPA4', 50],
  ['STATYP', 1],
];

/** ORDERS05 and INVOIC02 share their E2ED* segments. */
const ORDERS_INVOIC = {
  E2EDK01,
  E2EDK02,
  E2EDK03,
  E2EDK14,
  E2EDK18,
  E2EDKA1,
  E2EDP01,
  E2EDP03,
  E2EDP19,
  E2EDP26,
  E2EDS01,
};

/** IDoc types we read or write, and the segments of each we know. Others in a file are kept raw. */
export const IDOC_TYPES: Record<string, Record<string, Layout>> = {
  ORDERS05: ORDERS_INVOIC,
  INVOIC02: ORDERS_INVOIC,
  DELVRY03: { E2EDL20, E2ADRM1, E2EDT13, E2EDL24, E2EDL43 },
  SHPMNT05: { E2EDT20, E2EDT10, E2EDL20, E2ADRM1, E2EDT13, E2EDL24, E2EDL43 },
  ALEAUD01: { E1ADHDR, E1STATE },
  DEBMAS07: { E1KNA1M, E1KNA1H },
  DEBMAS06: { E1KNA1M, E1KNA1H },
  // Older versions of the same types share their segments: SAP only appends fields (and segments) in
  // a newer version, so an older record is a prefix of the newer layout (the rest reads blank).
  ...Object.fromEntries(
    ['ORDERS01', 'ORDERS02', 'ORDERS03', 'ORDERS04', 'INVOIC01'].map((t) => [t, ORDERS_INVOIC]),
  ),
  ...Object.fromEntries(
    ['DEBMAS01', 'DEBMAS02', 'DEBMAS03', 'DEBMAS04', 'DEBMAS05'].map((t) => [t, { E1KNA1M, E1KNA1H }]),
  ),
  DELVRY01: { E2EDL20, E2ADRM1, E2EDT13, E2EDL24, E2EDL43 },
  DELVRY02: { E2EDL20, E2ADRM1, E2EDT13, E2EDL24, E2EDL43 },
  SHPMNT03: { E2EDT20, E2EDT10, E2EDL20, E2ADRM1, E2EDT13, E2EDL24, E2EDL43 },
  SHPMNT04: { E2EDT20, E2EDT10, E2EDL20, E2ADRM1, E2EDT13, E2EDL24, E2EDL43 },
};

import { CONTROL, Field, fieldsOf, IDOC_TYPES, SDATA_OFFSET } from '../mapping/idoc/idoc.segments';

/** What a CRM customer update carries to SAP as DEBMAS. */
export interface DebmasCustomer {
  /** SAP customer number (KUNNR). */
  kunnr: string;
  name: string;
  vatId?: string;
  street?: string;
  city?: string;
  postalCode?: string;
  country?: string;
  phone?: string;
  email?: string;
}

export interface DebmasControl {
  docnum: string;
  /** Logical systems and ports (partner profile of the SAP side). */
  sender: { port: string; partner: string };
  receiver: { port: string; partner: string };
  mandt?: string;
  createdAt: Date;
  idocType?: 'DEBMAS07' | 'DEBMAS06';
}

function record(fields: Field[], values: Record<string, string>, width: number, where: string): string {
  const line = Array<string>(width).fill(' ');
  for (const [name, value] of Object.entries(values)) {
    const f = fields.find((x) => x.name === name);
    if (!f) throw new Error(`${where}: no field ${name}`);
    if (value.length > f.length)
      throw new Error(`${where}.${name}: "${value}" is longer than ${f.length} characters`);
    for (let i = 0; i < value.length; i++) line[f.offset + i] = value[i];
  }
  return line.join('').trimEnd();
}

function dataRecord(
  type: string,
  seg: string,
  docnum: string,
  segnum: number,
  values: Record<string, string>,
  mandt: string,
) {
  const fields = fieldsOf(IDOC_TYPES[type][seg]);
  const header = `${seg.padEnd(30)}${mandt.padEnd(3)}${docnum.padStart(16, '0')}${String(segnum).padStart(6, '0')}000000${'02'}`;
  const width = fields[fields.length - 1].offset + fields[fields.length - 1].length;
  return (header.padEnd(SDATA_OFFSET) + record(fields, values, width, seg)).trimEnd();
}

/** A name longer than NAME1 continues in NAME2, split at a blank (read back as NAME1 + ' ' + NAME2). */
function splitName(name: string): [string, string | undefined] {
  if (name.length <= 35) return [name, undefined];
  const at = name.lastIndexOf(' ', 35);
  if (at <= 0)
    throw new Error(
      `E1KNA1M.NAME1: "${name}" is longer than 35 characters with no blank to continue in NAME2`,
    );
  return [name.slice(0, at), name.slice(at + 1)];
}

/**
 * A DEBMAS IDoc (flat file, as SAP's file port reads it) for a customer update: the control record
 * and E1KNA1M (general data, MSGFN 005 = change) plus E1KNA1H for the e-mail. Values longer than
 * their SAP field are refused, not cut.
 */
export function writeDebmas(c: DebmasCustomer, ctl: DebmasControl): string {
  const [name1, name2] = splitName(c.name);
  const kna1: Record<string, string> = {
    MSGFN: '005',
    KUNNR: c.kunnr,
    NAME1: name1,
    ...(name2 ? { NAME2: name2 } : {}),
    ...(c.street ? { STRAS: c.street } : {}),
    ...(c.city ? { ORT01: c.city } : {}),
    ...(c.postalCode ? { PSTLZ: c.postalCode } : {}),
    ...(c.country ? { LAND1: c.country } : {}),
    ...(c.phone ? { TELF1: c.phone } : {}),
    ...(c.vatId ? { STCEG: c.vatId } : {}),
  };
  return writeFlatIdoc(ctl.idocType ?? 'DEBMAS07', 'DEBMAS', ctl, [
    { segment: 'E1KNA1M', values: kna1 },
    ...(c.email ? [{ segment: 'E1KNA1H', values: { MSGFN: '005', SMTP_ADDR: c.email } }] : []),
  ]);
}

/**
 * Any IDoc of a type in the segment tables as a flat file (SAP's file port format): the control
 * record (524 characters) and one data record per segment, CRLF line ends.
 */
export function writeFlatIdoc(
  type: string,
  mestyp: string,
  ctl: Omit<DebmasControl, 'idocType'>,
  segments: { segment: string; values: Record<string, string> }[],
): string {
  const mandt = ctl.mandt ?? '';
  const iso = ctl.createdAt.toISOString();
  const control = record(
    fieldsOf(CONTROL),
    {
      TABNAM: 'EDI_DC40',
      ...(mandt ? { MANDT: mandt } : {}),
      DOCNUM: ctl.docnum.padStart(16, '0'),
      DIRECT: '2',
      IDOCTYP: type,
      MESTYP: mestyp,
      SNDPOR: ctl.sender.port,
      SNDPRT: 'LS',
      SNDPRN: ctl.sender.partner,
      RCVPOR: ctl.receiver.port,
      RCVPRT: 'LS',
      RCVPRN: ctl.receiver.partner,
      CREDAT: iso.slice(0, 10).replace(/-/g, ''),
      CRETIM: iso.slice(11, 19).replace(/:/g, ''),
    },
    524,
    'EDI_DC40',
  );
  const lines = [
    control.padEnd(524),
    ...segments.map((s, i) => dataRecord(type, s.segment, ctl.docnum, i + 1, s.values, mandt)),
  ];
  return lines.join('\r\n') + '\r\n';
}

/**
 * ALEAUD01: the status of IDocs received, back to the sender (E1ADHDR with the message type, one
 * E1STATE per IDoc: 53 = taken, 51 = error, with the reason in STATXT, cut to its 70 characters).
 */
export function writeAleaud(
  ctl: Omit<DebmasControl, 'idocType'>,
  mestyp: string,
  states: { docnum: string; status: '51' | '53'; text: string }[],
): string {
  return writeFlatIdoc('ALEAUD01', 'ALEAUD', ctl, [
    { segment: 'E1ADHDR', values: { MESTYP: mestyp.slice(0, 30) } },
    ...states.map((st) => ({
      segment: 'E1STATE',
      values: { DOCNUM: st.docnum.padStart(16, '0'), STATUS: st.status, STATXT: st.text.slice(0, 70) },
    })),
  ]);
}

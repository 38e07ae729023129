/**
 * Every flat layout against SAP's published segment definitions: field name, offset and length of
 * each field we read, in SAP's order. The reference tables are blueseer's IDoc structure files
 * (MIT, __fixtures__/segments, see SOURCES.md), which list SAP's fields with their lengths. A
 * layout that drifts from SAP's shifts every field after it (SHPMNT05's STTRG was read blank).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fieldsOf, IDOC_TYPES } from './idoc.segments';

const DIR = path.join(__dirname, '..', '..', '__fixtures__', 'segments');
const HEADER = new Set(['landmark', 'segnam', 'mandt', 'docnum', 'segnum', 'psgnum', 'hlevel']);

/** segment → fields (name, offset, length) as the reference lists them. */
function reference(file: string): Map<string, { name: string; offset: number; length: number }[]> {
  const out = new Map<string, { name: string; offset: number; length: number }[]>();
  for (const line of fs.readFileSync(path.join(DIR, file), 'utf8').split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const c = line.split(',');
    if (c[0] === 'EDI_DC' || HEADER.has(c[5])) continue;
    const list = out.get(c[0]) ?? [];
    const last = list[list.length - 1];
    list.push({ name: c[5], offset: last ? last.offset + last.length : 0, length: Number(c[8]) });
    out.set(c[0], list);
  }
  return out;
}

/**
 * Where the reference's column holds a description instead of SAP's field name (`Name or address
 * line` → "Name") names are not compared; offsets and lengths always are. Known differences, each
 * checked against SAP's data dictionary: the reference truncates E1EDKA1-KNREF (CHAR 30) to 23.
 */
const isDescription = (name: string) => /[a-z]/.test(name) && /[A-Z]/.test(name);
const KNOWN: Record<string, string> = { 'E2EDKA1.KNREF': 'CHAR 30 in SAP; the reference lists 23' };

const CASES: [idocType: string, file: string, segments: string[]][] = [
  [
    'ORDERS05',
    'blueseer_IDOCorders05.csv',
    ['E2EDK01', 'E2EDK03', 'E2EDK14', 'E2EDKA1', 'E2EDP01', 'E2EDP19'],
  ],
  [
    'INVOIC02',
    'blueseer_IDOCinvoic02.csv',
    ['E2EDK01', 'E2EDK02', 'E2EDK03', 'E2EDKA1', 'E2EDP01', 'E2EDS01'],
  ],
  [
    'SHPMNT05',
    'blueseer_IDOCshpmnt02.csv',
    ['E2EDT20', 'E2EDT10', 'E2EDL20', 'E2ADRM1', 'E2EDT13', 'E2EDL24', 'E2EDL43'],
  ],
  // DELVRY03 shares its delivery segments with the shipment.
  ['DELVRY03', 'blueseer_IDOCshpmnt02.csv', ['E2EDL20', 'E2ADRM1', 'E2EDT13', 'E2EDL24', 'E2EDL43']],
];

describe.each(CASES)('%s flat layout', (type, file, segments) => {
  const ref = reference(file);
  it.each(segments)('%s has SAP’s fields at SAP’s offsets', (segment) => {
    const ours = fieldsOf(IDOC_TYPES[type][segment]);
    const theirs = ref.get(segment);
    expect(theirs).toBeDefined();
    expect(ours.length).toBeLessThanOrEqual(theirs!.length);
    let shift = 0; // a known length difference moves the reference's later offsets
    const diffs = ours.flatMap((f, i) => {
      const r = theirs![i];
      const offset = r.offset + shift;
      const known = !!KNOWN[`${segment}.${f.name}`];
      if (known) shift += f.length - r.length;
      const sameName = isDescription(r.name) || r.name.toUpperCase() === f.name.toUpperCase();
      const same = sameName && offset === f.offset && (r.length === f.length || known);
      return same ? [] : [`${f.name}@${f.offset}+${f.length} vs SAP ${r.name}@${offset}+${r.length}`];
    });
    expect(diffs).toEqual([]);
  });
});

it('older versions of a known IDoc type read through the same segments', () => {
  for (const [older, newer] of [
    ['ORDERS01', 'ORDERS05'],
    ['ORDERS04', 'ORDERS05'],
    ['INVOIC01', 'INVOIC02'],
    ['DEBMAS01', 'DEBMAS07'],
    ['DEBMAS05', 'DEBMAS07'],
  ])
    expect(IDOC_TYPES[older]).toEqual(IDOC_TYPES[newer]);
});

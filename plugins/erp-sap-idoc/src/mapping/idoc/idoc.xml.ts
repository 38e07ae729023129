import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Idoc, IdocError, IdocSegment, segmentFields, typeOf } from './idoc.parser';
import { IDOC_TYPES } from './idoc.segments';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true, // segments in document order, children after their parent
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false, // keep leading zeros (DOCNUM, KUNNR)
  trimValues: true,
});

const nameOf = (n: Node) => Object.keys(n).find((k) => k !== ':@') as string;
const childrenOf = (n: Node) => (n[nameOf(n)] as Node[]) ?? [];
const textOf = (n: Node) => {
  const t = childrenOf(n).find((c) => '#text' in c);
  return t ? String(t['#text']).trim() : '';
};
const isField = (n: Node) => childrenOf(n).every((c) => '#text' in c) && !n[':@']?.SEGMENT;

/**
 * Reads IDocs in SAP's XML form (`<ORDERS05><IDOC BEGIN="1"><EDI_DC40 SEGMENT="1">...`): the same
 * structure as the flat form, segments in document order (children after their parent), so the
 * same mapping applies. Errors name the element path instead of record and column.
 */
export function parseXmlIdocs(xml: string): Idoc[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new IdocError(
      valid.err.line,
      valid.err.col,
      'XML',
      `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
      'XML',
    );
  const doc = parser.parse(xml) as Node[];
  const root = doc.find((n) => !nameOf(n).startsWith('?'));
  if (!root) throw new IdocError(1, 1, 'XML', 'no root element', 'XML');
  const idocs = childrenOf(root).filter((n) => nameOf(n) === 'IDOC');
  if (!idocs.length)
    throw new IdocError(1, 1, 'IDOC', `no <IDOC> element in <${nameOf(root)}>`, nameOf(root));
  return idocs.map((node, i) => {
    const path = `IDOC[${i + 1}]`;
    const dc = childrenOf(node).find((c) => nameOf(c) === 'EDI_DC40');
    if (!dc) throw new IdocError(1, 1, 'EDI_DC40', 'no control record <EDI_DC40>', path);
    const control = Object.fromEntries(
      childrenOf(dc)
        .filter(isField)
        .map((f) => [nameOf(f), textOf(f)])
        .filter(([, v]) => v),
    );
    const type = control.IDOCTYP;
    if (!type) throw new IdocError(1, 1, 'IDOCTYP', 'IDoc type is blank', `${path}/EDI_DC40/IDOCTYP`);
    if (!IDOC_TYPES[type])
      throw new IdocError(
        1,
        1,
        'IDOCTYP',
        `unknown IDoc type "${type}" (known: ${Object.keys(IDOC_TYPES).join(', ')})`,
        `${path}/EDI_DC40/IDOCTYP`,
      );
    const known = segmentFields(type);
    const segments: IdocSegment[] = [];
    const seen = new Map<string, number>();
    const walk = (nodes: Node[], parentPath: string, level: number, parent: string) => {
      for (const n of nodes) {
        const name = nameOf(n);
        if (name === 'EDI_DC40' || name.startsWith('#') || isField(n)) continue;
        const count = (seen.get(`${parentPath}/${name}`) ?? 0) + 1;
        seen.set(`${parentPath}/${name}`, count);
        const segPath = `${parentPath}/${name}[${count}]`;
        const t = typeOf(name, known);
        const fields = Object.fromEntries(
          childrenOf(n)
            .filter(isField)
            .map((f) => [nameOf(f), textOf(f)])
            .filter(([, v]) => v),
        );
        const segnum = String(segments.length + 1).padStart(6, '0');
        segments.push({
          type: t ?? name,
          name,
          segnum,
          psgnum: parent,
          hlevel: String(level).padStart(2, '0'),
          fields: t ? fields : {},
          ...(t ? {} : { raw: JSON.stringify(fields) }),
          known: !!t,
          record: segments.length + 2,
          path: segPath,
        });
        walk(childrenOf(n), segPath, level + 1, segnum);
      }
    };
    walk(childrenOf(node), path, 1, '000000');
    return { control, type, segments, record: 1, path };
  });
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function element(name: string, fields: Record<string, string>, children: string[], pad: string): string {
  const inner = [
    ...Object.entries(fields).map(([k, v]) => `${pad}  <${k}>${esc(v)}</${k}>`),
    ...children,
  ].join('\n');
  return `${pad}<${name} SEGMENT="1">\n${inner}\n${pad}</${name}>`;
}

/**
 * An IDoc in SAP's XML form (for XML ports, and to show both forms read the same): flat segment
 * definitions (E2EDK01005) become segment types (E1EDK01), item segments nest in their E1EDP01.
 * Unknown (extension) segments are not written: their layout is not known.
 */
export function idocToXml(idoc: Idoc): string {
  const typeName = (s: IdocSegment) => (s.type.startsWith('E2') ? `E1${s.type.slice(2)}` : s.type);
  const out: string[] = [];
  let item: { s: IdocSegment; children: string[] } | null = null;
  const close = () => {
    if (item) out.push(element(typeName(item.s), item.s.fields, item.children, '    '));
    item = null;
  };
  for (const s of idoc.segments) {
    if (!s.known) continue;
    if (s.type === 'E2EDP01') {
      close();
      item = { s, children: [] };
    } else if (item && s.type.startsWith('E2EDP')) {
      (item as { children: string[] }).children.push(element(typeName(s), s.fields, [], '      '));
    } else {
      close();
      out.push(element(typeName(s), s.fields, [], '    '));
    }
  }
  close();
  const control = element('EDI_DC40', { ...idoc.control, TABNAM: 'EDI_DC40' }, [], '    ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${idoc.type}>\n  <IDOC BEGIN="1">\n${control}\n${out.join('\n')}\n  </IDOC>\n</${idoc.type}>\n`;
}

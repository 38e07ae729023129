import { contrl, envelopeEdifact } from './edifact.ack';
import { readEdifact } from './edifact.envelope';
import { readMessage } from './edifact.message';
import { decodeEdifact, EdifactSyntaxError, tokenizeEdifact } from './edifact.reader';

const ORDERS = (t = "'", eol = '\n') =>
  [
    'UNB+UNOC:3+SENDER:14+RECEIVER:14+261201:1200+42',
    'UNH+1+ORDERS:D:96A:UN',
    'BGM+220+PO-1+9',
    'DTM+137:20261130:102',
    'UNT+4+1',
    'UNH+2+IFTSTA:D:00B:UN',
    'BGM+23+ST-1+9',
    'UNT+3+2',
    'UNZ+2+42',
  ]
    .map((s) => s + t)
    .join(eol);

describe('EDIFACT reader: delimiters, release character, line breaks', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['no line breaks', ''],
  ])('reads the same segments with %s between them', (_n, eol) => {
    const doc = readEdifact(ORDERS("'", eol));
    expect(
      doc.interchanges[0].groups[0].messages.map((m) => [m.type, m.reference, m.segments.length, m.problems]),
    ).toEqual([
      ['ORDERS', '1', 4, []],
      ['IFTSTA', '2', 3, []],
    ]);
    expect(doc.interchanges[0].problems).toEqual([]);
  });

  it('takes the delimiters of a UNA, the version 4 repetition separator included', () => {
    const una = `UNA=*.? ~\n${ORDERS('~').replace(/\+/g, '*').replace(/:/g, '=')}`;
    const { delimiters } = tokenizeEdifact(una);
    expect(delimiters).toEqual({ component: '=', element: '*', decimal: '.', release: '?', segment: '~' });
    expect(tokenizeEdifact("UNA:+.?*'UNB+UNOC:4+A+B+261201:1200+1'").delimiters.repetition).toBe('*');
    expect(readEdifact(una).interchanges[0].groups[0].messages).toHaveLength(2);
  });

  it('makes the character after ? literal, and drops a ? before a character that is no delimiter', () => {
    const { segments } = tokenizeEdifact("UNB+UNOC:3+A?+B+C+D+1'FTX+AAI+++It?'s 50?:50 ?? done+006?415160'");
    expect(segments[0].elements[2]).toEqual(['A+B']);
    expect(segments[1].elements[4]).toEqual(["It's 50:50 ? done"]);
    expect(segments[1].elements[5]).toEqual(['006415160']);
  });

  it('notes counts and references that disagree, and a missing UNZ', () => {
    const text = ORDERS().replace('UNT+4+1', 'UNT+9+7').replace("UNZ+2+42'", '');
    const ic = readEdifact(text).interchanges[0];
    expect(ic.groups[0].messages[0].problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      ['29', 'warning', 'UNT 0074 says 9 segments, the message has 4'],
      ['28', 'warning', 'UNT 0062 7 does not match UNH 0062 1'],
    ]);
    expect(ic.problems.map((p) => p.message)).toEqual([
      'interchange 42 has no UNZ trailer (the end of the file came first)',
    ]);
  });

  it('refuses a file with no interchange header, naming the byte', () => {
    expect(() => readEdifact("\n\nUNH+1+ORDERS:D:96A:UN'")).toThrow(
      new EdifactSyntaxError('the interchange does not start with UNA or UNB but UNH', 2),
    );
  });
});

describe('EDIFACT characters by the syntax identifier', () => {
  it('reads ISO-8859-1 bytes of a UNOC interchange as Latin-1', () => {
    const body = Buffer.concat([Buffer.from(ORDERS().replace('PO-1', 'PO-')), Buffer.from([0xfc])]);
    const d = decodeEdifact(Buffer.from(ORDERS().replace('PO-1', 'M\u00fcller'), 'latin1'));
    expect(d.text).toContain('M\u00fcller');
    expect(d.note).toBeUndefined();
    expect(decodeEdifact(body).text.endsWith('\u00fc')).toBe(true);
  });

  it('refuses bytes that are not UTF-8 in a UNOW interchange, naming the byte', () => {
    const text = ORDERS().replace('UNOC', 'UNOW');
    const body = Buffer.concat([
      Buffer.from(text.slice(0, 60)),
      Buffer.from([0xc4]),
      Buffer.from(text.slice(60)),
    ]);
    expect(() => decodeEdifact(body)).toThrow(/declares UNOW but byte 60 \(0xc4\) is not UTF-8 \(byte 60\)/);
  });
});

describe('messages and CONTRL', () => {
  it('names segment position and element of a date that does not fit its format, and the CONTRL reports it', () => {
    const doc = readEdifact(ORDERS().replace('DTM+137:20261130:102', 'DTM+137:20261331:102'));
    const ic = doc.interchanges[0];
    const [orders, status] = ic.groups[0].messages;
    const read = readMessage(
      orders,
      { type: 'ORDERS', name: 'orders', body: { id: 'h', segments: ['BGM', 'DTM'] } },
      'UTC',
    );
    expect(read.problems).toEqual([
      expect.objectContaining({
        code: '12',
        message:
          'DTM element 1 component 2 (segment 3): "20261331" is not a valid date for format 102 (yyyyMMdd)',
        segment: { tag: 'DTM', position: 3 },
        element: { position: 1, component: 2, value: '20261331' },
      }),
    ]);
    const c = contrl(ic, [
      { message: orders, problems: read.problems },
      { message: status, problems: [] },
    ]);
    const text = envelopeEdifact(
      {
        sender: { id: 'RECEIVER', qualifier: '14' },
        recipient: ic.sender,
        control: 9,
        at: new Date('2026-12-01T12:00:00Z'),
      },
      [{ s009: c.s009, segments: c.segments }],
    );
    const back = readEdifact(text).interchanges[0];
    expect(back.problems).toEqual([]);
    expect(
      back.groups[0].messages[0].segments.map((s) =>
        [s.tag, ...s.elements.slice(1).map((e) => e.join(':'))].join('+'),
      ),
    ).toEqual([
      'UNH+901+CONTRL:D:3:UN',
      'UCI+42+SENDER:14+RECEIVER:14+7',
      'UCM+1+ORDERS:D:96A:UN+4+12',
      'UCS+3',
      'UCD+12+1:2',
      'UNT+6+901',
    ]);
  });
});

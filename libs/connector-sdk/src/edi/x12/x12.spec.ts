import fc from 'fast-check';
import { X12Parser } from 'node-x12';
import { acknowledgement } from './x12.ack';
import { readX12, X12EnvelopeReader } from './x12.envelope';
import { X12_SEGMENTS } from './x12.segments';
import { tokenizeX12, X12SyntaxError, X12Tokenizer } from './x12.tokenizer';
import { readTransactionSet, X12SetSpec } from './x12.transaction';
import { writeX12 } from './x12.writer';

const ISA =
  'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*1200*U*00401*000000042*0*P*>';

/** A two-set interchange (214 and 990: two transaction types) with terminator `t` after each segment. */
function interchange(t: string, opts: { se01?: string; date?: string } = {}): string {
  return [
    ISA,
    'GS*QM*SENDER*RECEIVER*20261201*1200*42*X*004010',
    'ST*214*0001',
    'B10*PRO1*SHIP1*ABCD',
    'LX*1',
    `AT7*D1*NS***${opts.date ?? '20261130'}*1015*ET`,
    `SE*${opts.se01 ?? '5'}*0001`,
    'ST*990*0002',
    'B1*ABCD*SHIP2*20261201*A',
    'SE*3*0002',
    'GE*2*42',
    'IEA*1*000000042',
  ]
    .map((s) => s + t)
    .join('');
}

const SPEC_214: X12SetSpec = {
  type: '214',
  name: 'status',
  body: { id: 'body', segments: ['B10'], loops: [{ id: 'LX', start: 'LX', segments: ['AT7', 'MS1'] }] },
};

describe('X12 tokenizer: the delimiters a partner really uses', () => {
  it.each([
    ['~', '~'],
    ['~ and LF', '~\n'],
    ['~ and CRLF', '~\r\n'],
    ['apostrophe', "'"],
    ['LF only', '\n'],
    ['CRLF only', '\r\n'],
    ['CR only', '\r'],
    ['U+2026 ellipsis', '\u2026'],
    ['backslash', '\\'],
  ])('terminator %s', (_name, t) => {
    const doc = readX12(interchange(t));
    expect(doc.interchanges).toHaveLength(1);
    const g = doc.interchanges[0].groups[0];
    expect(g.sets.map((s) => [s.type, s.control, s.segments.length, s.problems])).toEqual([
      ['214', '0001', 5, []],
      ['990', '0002', 3, []],
    ]);
    expect(doc.interchanges[0].problems).toEqual([]);
  });

  it('skips a UTF-8 BOM and counts it in byte offsets', () => {
    const doc = readX12(`\uFEFF${interchange('~\n')}`);
    expect(doc.interchanges[0].byteOffset).toBe(3);
    expect(doc.interchanges[0].control).toBe('000000042');
  });

  it('reads segments hard-wrapped at a fixed width and an ISA split across lines', () => {
    const flat = interchange('~');
    const wrapped = flat.replace(/(.{80})/g, '$1\r\n');
    const doc = readX12(wrapped);
    expect(
      doc.interchanges[0].groups[0].sets.map((s) => s.segments.map((x) => x.elements.join('*'))),
    ).toEqual(
      readX12(flat).interchanges[0].groups[0].sets.map((s) => s.segments.map((x) => x.elements.join('*'))),
    );
    expect(doc.interchanges[0].sender).toEqual({ qualifier: 'ZZ', id: 'SENDER' });
  });

  it('finds the delimiters of an ISA whose fields are not padded', () => {
    const short = interchange('\n').replace(
      ISA,
      'ISA^00^^00^^ZZ^SENDER^ZZ^RECEIVER^261201^1200^U^00401^000000042^0^P^+',
    );
    const doc = readX12(short.replace(/\*/g, '^'));
    expect(doc.delimiters).toEqual({ element: '^', component: '+', segment: '\n' });
    expect(doc.interchanges[0].receiver.id).toBe('RECEIVER');
  });

  it('takes a 5010 repetition separator from ISA11', () => {
    expect(readX12(interchange('~').replace('*U*00401*', '*^*00501*')).delimiters.repetition).toBe('^');
  });

  it('gives the same segments however the text is cut into chunks (streaming)', () => {
    const text = `\uFEFF${interchange('~\r\n')}   `;
    const whole = tokenizeX12(text.slice(1)).segments;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 2 }), { maxLength: 12 }), (cuts) => {
        const t = new X12Tokenizer();
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const out = [];
        let from = 1;
        for (const p of points) {
          out.push(...t.push(text.slice(from, p + 1)));
          from = p + 1;
        }
        out.push(...t.push(text.slice(from)), ...t.end());
        expect(out).toEqual(whole);
      }),
    );
  });

  it('refuses a file with no readable interchange header, naming the byte', () => {
    expect(() => readX12('\uFEFF  GS*QM*X~')).toThrow(
      new X12SyntaxError('the interchange does not start with ISA', 5),
    );
    expect(() => readX12('ISA*00*  *00')).toThrow(/ends inside the ISA segment/);
    expect(() => readX12('')).toThrow(/empty/);
  });
});

describe('X12 envelope checks', () => {
  it('notes control counts that disagree as warnings by default, errors when the partner asks', () => {
    const text = interchange('~', { se01: '9' })
      .replace('GE*2*42', 'GE*3*43')
      .replace('IEA*1*000000042', 'IEA*2*42');
    const warn = readX12(text).interchanges[0];
    expect(warn.groups[0].sets[0].problems).toEqual([
      expect.objectContaining({
        level: 'set',
        severity: 'warning',
        code: '4',
        message: 'SE01 says 9 segments, the transaction set has 5',
      }),
    ]);
    expect(warn.groups[0].problems.map((p) => [p.code, p.message])).toEqual([
      ['5', 'GE01 says 3 transaction sets, the group has 2'],
      ['4', 'GE02 43 does not match GS06 42'],
    ]);
    expect(warn.problems.map((p) => p.code)).toEqual(['021']); // IEA02 42 = 000000042
    const reject = readX12(text, { controlCounts: 'reject' }).interchanges[0];
    expect(reject.groups[0].sets[0].problems[0].severity).toBe('error');
  });

  it('rejects a transaction set without its SE, keeps the others, notes missing GE and IEA', () => {
    const text = interchange('~').replace('SE*5*0001~', '').replace('GE*2*42~IEA*1*000000042~', '');
    const ic = readX12(text).interchanges[0];
    expect(ic.groups[0].sets.map((s) => s.problems.map((p) => [p.severity, p.code]))).toEqual([
      [['error', '2']],
      [],
    ]);
    expect(ic.groups[0].problems.map((p) => p.code)).toEqual(['3']);
    expect(ic.problems.map((p) => p.code)).toEqual(['023']);
  });
});

describe('transaction sets: loops and element checks', () => {
  it('builds loops from the spec and names the segment position and element of a bad date', () => {
    const doc = readX12(interchange('~', { date: '20261331' }));
    const [bad, good] = doc.interchanges[0].groups[0].sets;
    const read = readTransactionSet(bad, SPEC_214, doc.delimiters);
    expect(read.body.loops('LX')[0].value('AT7', 1)).toBe('D1');
    expect(read.problems).toEqual([
      {
        level: 'element',
        severity: 'error',
        code: '8',
        message: 'AT705 (segment 4): "20261331" is not a date (CCYYMMDD)',
        segment: { tag: 'AT7', position: 4 },
        element: { position: 5, value: '20261331' },
      },
    ]);
    const ack = acknowledgement(
      '997',
      doc.interchanges[0].groups[0],
      [
        { set: bad, problems: read.problems },
        { set: good, problems: [] },
      ],
      '0007',
    );
    expect(ack.status).toBe('P');
    expect(ack.set.segments).toEqual([
      ['AK1', 'QM', '42'],
      ['AK2', '214', '0001'],
      ['AK3', 'AT7', '4', '', '8'],
      ['AK4', '5', '', '8', '20261331'],
      ['AK5', 'R', '5'],
      ['AK2', '990', '0002'],
      ['AK5', 'A'],
      ['AK9', 'P', '2', '2', '1'],
    ]);
  });

  it('flags a value that swallowed a segment behind a second terminator', () => {
    const text = interchange('$\n').replace('B10*PRO1*SHIP1*ABCD$', 'B10*PRO1*SHIP1~LX*ABCD$');
    const doc = readX12(text);
    const read = readTransactionSet(doc.interchanges[0].groups[0].sets[0], SPEC_214, doc.delimiters);
    expect(read.problems.map((p) => p.message)).toEqual([
      'B1002 (segment 2): "SHIP1~LX" ends in "~LX": a second segment terminator "~" where the ISA declares "$"',
    ]);
  });

  it('knows the type of every element it checks', () => {
    for (const [tag, elements] of Object.entries(X12_SEGMENTS))
      for (const t of Object.values(elements))
        expect([tag, t]).toEqual([tag, expect.stringMatching(/^(AN|ID|DT|TM|N0|N2|R)!?$/)]);
  });
});

describe('writing X12 (node-x12) and reading our own acknowledgements back', () => {
  it('writes a 997 that node-x12 (strict) and our reader both parse to the same values', () => {
    const doc = readX12(interchange('~'));
    const group = doc.interchanges[0].groups[0];
    const ack = acknowledgement(
      '997',
      group,
      group.sets.map((set) => ({ set, problems: [] })),
      '0001',
    );
    const text = writeX12(
      {
        sender: { qualifier: 'ZZ', id: 'RECEIVER' },
        receiver: { qualifier: 'ZZ', id: 'SENDER' },
        interchangeControl: 7,
        groupControl: 7,
        functionalId: 'FA',
        version: '004010',
        at: new Date('2026-12-01T12:00:00Z'),
      },
      [ack.set],
    );
    const strict = new X12Parser(true).parse(text) as unknown as {
      functionalGroups: { transactions: { segments: { tag: string; elements: { value: string }[] }[] }[] }[];
    };
    expect(
      strict.functionalGroups[0].transactions[0].segments.map((s) => [
        s.tag,
        ...s.elements.map((e) => e.value),
      ]),
    ).toEqual(ack.set.segments);
    const ours = readX12(text);
    expect(ours.interchanges[0].problems).toEqual([]);
    expect(ours.interchanges[0].control).toBe('000000007');
    const set = ours.interchanges[0].groups[0].sets[0];
    expect(set.problems).toEqual([]);
    expect(set.segments.slice(1, -1).map((s) => s.elements)).toEqual(ack.set.segments);
  });
});

describe('streaming a large interchange', () => {
  it('hands each set over as it completes and lets its segments go', () => {
    const text = interchange('~\n');
    const seen: [string, number][] = [];
    const reader = new X12EnvelopeReader({
      onSet: (set) => {
        seen.push([set.type, set.segments.length]);
      },
    });
    const tokenizer = new X12Tokenizer();
    for (let i = 0; i < text.length; i += 7)
      for (const s of tokenizer.push(text.slice(i, i + 7))) reader.add(s);
    for (const s of tokenizer.end()) reader.add(s);
    reader.end();
    expect(seen).toEqual([
      ['214', 5],
      ['990', 3],
    ]);
    expect(reader.interchanges[0].groups[0].sets.map((s) => [s.type, s.segments.length])).toEqual([
      ['214', 0],
      ['990', 0],
    ]);
  });
});

import { AppError } from '@tradelane/http';
import { acceptAttachment, ATTACHMENT_EXTENSIONS, safeFilename } from './case-attachment.policy';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const ZIP = Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1');

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('acceptAttachment', () => {
  it('takes the type from the bytes and keeps a digest', () => {
    const a = acceptAttachment({ originalname: 'damage.JPG', buffer: JPEG }, 1000);
    expect(a).toMatchObject({ filename: 'damage.JPG', contentType: 'image/jpeg', size: JPEG.length });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts office documents by their zip container and their name', () => {
    expect(acceptAttachment({ originalname: 'claim.xlsx', buffer: ZIP }, 1000).contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    // A bare zip (could hold anything) is not on the list.
    expect(refusal(() => acceptAttachment({ originalname: 'stuff.zip', buffer: ZIP }, 1000)).kind).toBe(
      'unsupported',
    );
  });

  it('accepts EDI and CSV text, with the separators X12 may use, and refuses binary named as text', () => {
    const x12 = Buffer.from('ISA*00*          *00*\x1dGS*SH\x1e', 'latin1');
    expect(acceptAttachment({ originalname: '856.edi', buffer: x12 }, 1000).contentType).toBe(
      'text/plain; charset=utf-8',
    );
    expect(
      acceptAttachment({ originalname: 'a.csv', buffer: Buffer.from('a;b\n1;ü\n') }, 1000).contentType,
    ).toBe('text/csv; charset=utf-8');
    const latin1 = Buffer.from('Stra\xdfe', 'latin1'); // not UTF-8
    expect(
      refusal(() => acceptAttachment({ originalname: 'a.txt', buffer: latin1 }, 1000)).message,
    ).toContain('a.txt cannot be attached');
    expect(refusal(() => acceptAttachment({ originalname: 'a.txt', buffer: JPEG }, 1000)).message).toContain(
      'its content is jpg, its name says .txt',
    );
  });

  it('refuses what is too large, empty, nameless or missing, saying so', () => {
    expect(refusal(() => acceptAttachment({ originalname: 'a.jpg', buffer: JPEG }, 5))).toMatchObject({
      kind: 'too-large',
      message: 'file: a.jpg is 12 B; at most 5 B',
    });
    expect(
      refusal(() => acceptAttachment({ originalname: 'a.jpg', buffer: Buffer.alloc(0) }, 5)).message,
    ).toBe('file: a.jpg is empty');
    expect(refusal(() => acceptAttachment({ originalname: 'README', buffer: JPEG }, 100)).message).toContain(
      'has no name with an extension',
    );
    expect(refusal(() => acceptAttachment(undefined, 100)).message).toContain('no file was sent');
    expect(ATTACHMENT_EXTENSIONS).toEqual(
      expect.arrayContaining(['pdf', 'jpg', 'png', 'xlsx', 'edi', 'csv']),
    );
    expect(ATTACHMENT_EXTENSIONS).not.toEqual(expect.arrayContaining(['svg']));
  });
});

describe('safeFilename', () => {
  it('drops paths, control and reserved characters and leading dots; keeps UTF-8 and the extension', () => {
    expect(safeFilename('C:\\Users\\x\\photo.png')).toBe('photo.png');
    expect(safeFilename('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(safeFilename('..hidden.pdf')).toBe('hidden.pdf');
    expect(safeFilename('a\u0000b<c>"d".pdf')).toBe('a_b_c__d_.pdf');
    // multer hands over UTF-8 names as latin1 characters
    expect(safeFilename(Buffer.from('Prüfung.pdf', 'utf8').toString('latin1'))).toBe('Prüfung.pdf');
    const long = safeFilename(`${'x'.repeat(300)}.pdf`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

import { AppError } from '@tradelane/http';
import { filetypeinfo } from 'magic-bytes.js';
import { createHash } from 'node:crypto';

/** A file as the upload gave it: its name as the sender called it, and its bytes. */
export interface UploadedAttachment {
  originalname: string;
  buffer: Buffer;
}

/** A file accepted onto a case: a safe name, the type its bytes are (not what the sender said), its digest. */
export interface AcceptedAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/**
 * What a case may carry, by the type the first bytes show (magic-bytes.js) and the name's extension:
 * documents and photos of damage, proofs of delivery, spreadsheets, and plain text (EDI, CSV, XML).
 * Nothing that runs or renders active content (executables, HTML, SVG, archives of anything).
 */
const BY_SIGNATURE: Record<string, { mime: string; extensions: string[] }> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'] },
  png: { mime: 'image/png', extensions: ['png'] },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  gif: { mime: 'image/gif', extensions: ['gif'] },
  webp: { mime: 'image/webp', extensions: ['webp'] },
  tif: { mime: 'image/tiff', extensions: ['tif', 'tiff'] },
  heif: { mime: 'image/heic', extensions: ['heic', 'heif'] },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'] },
  xml: { mime: 'application/xml', extensions: ['xml'] },
};

/**
 * Plain text (no signature): by extension, when the bytes are UTF-8 without NUL or other binary
 * control characters (the separators X12 and EDIFACT may use, 0x1c-0x1f, are text here).
 */
const TEXT: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  edi: 'text/plain',
  x12: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
};

/** The extensions accepted, for the error that names them. */
export const ATTACHMENT_EXTENSIONS = [
  ...new Set([...Object.values(BY_SIGNATURE).flatMap((s) => s.extensions), ...Object.keys(TEXT)]),
].sort();

const MAX_NAME = 200;

/** The name without any path, control or reserved characters, at most 200 characters, its extension kept. */
export function safeFilename(raw: string): string {
  // Multer hands the name over as latin1 bytes; browsers send UTF-8.
  const decoded = Buffer.from(raw, 'latin1').toString('utf8');
  const name = (decoded.includes('\uFFFD') ? raw : decoded)
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '_')
    .replace(/^\.+/, '')
    .trim();
  if (name.length <= MAX_NAME) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, MAX_NAME - ext.length) + ext;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function isText(bytes: Buffer): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001a\u007f]/.test(bytes.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one uploaded file against what a case may carry: not empty, not over `maxBytes`, a type we
 * accept whose bytes agree with its name. Refusals name the file and why (413 too large, 415 type).
 */
export function acceptAttachment(file: UploadedAttachment | undefined, maxBytes: number): AcceptedAttachment {
  if (!file) throw new AppError('invalid', 'file: no file was sent (a multipart/form-data field "file")');
  const filename = safeFilename(file.originalname ?? '');
  if (!filename || !extensionOf(filename))
    throw new AppError('invalid', `file: "${file.originalname}" has no name with an extension`);
  const size = file.buffer.length;
  if (size === 0) throw new AppError('invalid', `file: ${filename} is empty`);
  if (size > maxBytes)
    throw new AppError(
      'too-large',
      `file: ${filename} is ${formatBytes(size)}; at most ${formatBytes(maxBytes)}`,
    );
  const ext = extensionOf(filename);
  const found = filetypeinfo(file.buffer.subarray(0, 4100)).map((t) => t.typename);
  const known = found.map((t) => BY_SIGNATURE[t]).filter((s) => s && s.extensions.includes(ext));
  let contentType = known[0]?.mime;
  if (!contentType && !found.some((t) => !BY_SIGNATURE[t] && t !== 'xml') && TEXT[ext] && isText(file.buffer))
    contentType = TEXT[ext] === 'application/json' ? TEXT[ext] : `${TEXT[ext]}; charset=utf-8`;
  if (!contentType) {
    const what = found.length ? `its content is ${found[0]}` : 'its content is not a type we accept';
    throw new AppError(
      'unsupported',
      `file: ${filename} cannot be attached (${what}, its name says .${ext}); accepted: ${ATTACHMENT_EXTENSIONS.join(', ')}`,
    );
  }
  return {
    filename,
    contentType,
    size,
    sha256: createHash('sha256').update(file.buffer).digest('hex'),
    content: file.buffer,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

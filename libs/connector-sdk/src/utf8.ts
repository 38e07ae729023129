/** Bytes that are not UTF-8: where the first invalid sequence starts (a Latin-1 sender, an Excel export). */
export class NotUtf8Error extends Error {
  constructor(
    readonly offset: number,
    /** The byte at `offset`, e.g. 0xfc for a Latin-1 `ü`. */
    readonly byte: number | undefined,
  ) {
    super(`byte ${offset} (0x${(byte ?? 0).toString(16).padStart(2, '0')}) is not UTF-8`);
    this.name = 'NotUtf8Error';
  }
}

/**
 * Decodes UTF-8 strictly (never a silent U+FFFD; a BOM is skipped): a payload in another encoding
 * is refused with the offset of its first invalid byte, for a message that names it.
 */
export function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    throw new NotUtf8Error(at, body[at]);
  }
}

/** The length of the longest valid prefix, by halving (TextDecoder names no offset). */
function firstInvalidUtf8(body: Buffer): number {
  let lo = 0;
  let hi = body.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  // The valid prefix may end inside a multi-byte sequence the next byte breaks: name its lead byte.
  let lead = lo - 1;
  while (lead >= 0 && lead > lo - 4 && (body[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0 || body[lead] < 0xc0) return lo;
  const length = body[lead] >= 0xf0 ? 4 : body[lead] >= 0xe0 ? 3 : 2;
  return lo - lead < length ? lead : lo;
}

import { SecretBox } from './secret-box';

const k1 = SecretBox.generateKeySpec('k1');
const k2 = SecretBox.generateKeySpec('k2');

describe('SecretBox', () => {
  it('seals and opens; the sealed form holds no plaintext and differs every time', () => {
    const box = SecretBox.fromSpec(k1);
    const a = box.seal('s3cr3t-api-key', 'erp-odoo:main');
    const b = box.seal('s3cr3t-api-key', 'erp-odoo:main');
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cr3t');
    expect(a.startsWith('tlsb1:k1:')).toBe(true);
    expect(box.open(a, 'erp-odoo:main')).toBe('s3cr3t-api-key');
  });

  it('refuses a value moved to another instance, altered, or sealed with an unknown key', () => {
    const box = SecretBox.fromSpec(k1);
    const sealed = box.seal('pw', 'erp-odoo:a');
    expect(() => box.open(sealed, 'erp-odoo:b')).toThrow(/does not authenticate/);
    const parts = sealed.split(':');
    parts[4] = Buffer.from('xx').toString('base64url');
    expect(() => box.open(parts.join(':'), 'erp-odoo:a')).toThrow(/does not authenticate/);
    expect(() => SecretBox.fromSpec(k2).open(sealed, 'erp-odoo:a')).toThrow(
      /key "k1", which TRADELANE_SECRET_KEYS no longer has/,
    );
    expect(() => box.open('plain', 'x')).toThrow(/not a sealed secret/);
  });

  it('rotates: a new first key seals, the old one still opens until everything is re-sealed', () => {
    const old = SecretBox.fromSpec(k1).seal('pw', 'i');
    const ring = SecretBox.fromSpec(`${k2},${k1}`);
    expect(ring.open(old, 'i')).toBe('pw');
    expect(ring.needsRotation(old)).toBe(true);
    const fresh = ring.rotate(old, 'i');
    expect(fresh.split(':')[1]).toBe('k2');
    expect(SecretBox.fromSpec(k2).open(fresh, 'i')).toBe('pw');
    expect(ring.rotate(fresh, 'i')).toBe(fresh);
  });

  it('explains a bad key specification', () => {
    expect(() => SecretBox.fromSpec(undefined)).toThrow(/TRADELANE_SECRET_KEYS is not set/);
    expect(() => SecretBox.fromSpec('k1:c2hvcnQ=')).toThrow(/key "k1" must be 32 bytes/);
    expect(() => SecretBox.fromSpec('nokey')).toThrow(/is not <key id>:<base64 key>/);
    expect(() => SecretBox.fromSpec(`${k1},${k1}`)).toThrow(/appears twice/);
  });
});

import { safeFilePath } from '@tradelane/connector-sdk';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileRoots } from './file-roots';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'roots-')));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('FileRoots', () => {
  const roots = new FileRoots([path.join(root, 'allowed')]);
  beforeAll(() => fs.mkdirSync(path.join(root, 'allowed', 'drop'), { recursive: true }));

  it('accepts folders inside a root, existing or not yet', () => {
    expect(roots.check(path.join(root, 'allowed', 'drop'))).toEqual({
      ok: true,
      real: path.join(root, 'allowed', 'drop'),
    });
    expect(roots.check(path.join(root, 'allowed', 'new', 'deeper')).ok).toBe(true);
  });

  it.each(['/etc', '/root/.ssh', '/var/lib/postgresql', 'relative/drop'])('refuses %s', (folder) => {
    const r = roots.check(folder);
    expect(r.ok).toBe(false);
  });

  it('refuses a way out through .. and a neighbour sharing the prefix', () => {
    expect(roots.check(path.join(root, 'allowed', '..', 'secret')).ok).toBe(false);
    expect(roots.check(path.join(root, 'allowed-not')).ok).toBe(false);
  });

  it('resolves symlinks: a link inside the root to a folder outside it is refused', () => {
    fs.mkdirSync(path.join(root, 'outside'), { recursive: true });
    fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'allowed', 'link'));
    const r = roots.check(path.join(root, 'allowed', 'link'));
    expect(r).toEqual({
      ok: false,
      reason: expect.stringMatching(/is outside the folders connectors may use \(TRADELANE_FILE_ROOTS=/),
    });
    expect(roots.check(path.join(root, 'allowed', 'link', 'sub')).ok).toBe(false);
  });

  it('needs absolute roots', () => {
    expect(() => new FileRoots(['data'])).toThrow(/TRADELANE_FILE_ROOTS: "data" is not an absolute path/);
  });
});

describe('safeFilePath', () => {
  it('keeps partner data from leaving the folder', () => {
    expect(safeFilePath('/srv/out', 'ALEAUD_../../../../../x.txt')).toBe(
      '/srv/out/ALEAUD_.._.._.._.._.._x.txt',
    );
    expect(safeFilePath('/srv/out', '../x')).toBe('/srv/out/__x');
    expect(safeFilePath('/srv/out', 'DEBMAS_0000000000000042.txt')).toBe(
      '/srv/out/DEBMAS_0000000000000042.txt',
    );
    expect(safeFilePath('/srv/out', 'a\u0000b/c\\d')).toBe('/srv/out/a_b_c_d');
    expect(() => safeFilePath('/srv/out', '')).toThrow(/no usable character/);
  });
});

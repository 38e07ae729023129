import { runAsRootWarning } from './process-user';

describe('runAsRootWarning', () => {
  it('says nothing for an unprivileged user or where there are no uids', () => {
    expect(runAsRootWarning(1001, '/srv/tradelane')).toBeNull();
    expect(runAsRootWarning(undefined, undefined)).toBeNull();
  });

  it('warns root, naming the file roots and the fix', () => {
    const w = runAsRootWarning(0, '/srv/tradelane');
    expect(w).toMatch(/^running as root/);
    expect(w).toContain('TRADELANE_FILE_ROOTS=/srv/tradelane');
    expect(w).toContain('User=tradelane');
  });
});

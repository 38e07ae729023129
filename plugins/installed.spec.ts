/**
 * The installed list is the truth, and the docs follow it: every plugin folder is installed or
 * explicitly experimental, every connector a README calls installed is, and each installed plugin's
 * README names the id its `connectors add` example uses.
 * Real: the plugin folders, the READMEs, the list the apps boot with. Mocked: nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPERIMENTAL_PLUGINS, INSTALLED_CONNECTORS } from './installed';

const root = path.resolve(__dirname, '..');
const folders = fs
  .readdirSync(__dirname, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(__dirname, e.name, 'src', 'index.ts')))
  .map((e) => e.name)
  .sort();
const installed = INSTALLED_CONNECTORS.map((c) => c.id).sort();

it('installs every plugin folder, or marks it experimental with a reason', () => {
  const neither = folders.filter((f) => !installed.includes(f) && !(f in EXPERIMENTAL_PLUGINS));
  expect(neither).toEqual([]);
  for (const [folder, why] of Object.entries(EXPERIMENTAL_PLUGINS)) {
    expect(folders).toContain(folder);
    expect(installed).not.toContain(folder);
    expect(why.length).toBeGreaterThan(10);
  }
  // A connector's id is its folder's name: the README, the CLI and the folder say the same.
  expect(installed.filter((id) => !folders.includes(id))).toEqual([]);
});

it('calls installed, in the README and plugins/README.md, exactly the installed connectors', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('Installed connectors'));
  const rows = [
    ...table.slice(0, table.indexOf('\n\n', table.indexOf('| ---'))).matchAll(/^\| \[`([a-z0-9-]+)`\]/gm),
  ];
  expect(rows.map((m) => m[1]).sort()).toEqual(installed);

  const plugins = fs.readFileSync(path.join(__dirname, 'README.md'), 'utf8');
  const line = plugins.slice(
    plugins.indexOf('Installed here:'),
    plugins.indexOf('\n\n', plugins.indexOf('Installed here:')),
  );
  expect([...line.matchAll(/\[`([a-z0-9-]+)`\]/g)].map((m) => m[1]).sort()).toEqual(installed);
});

it.each(INSTALLED_CONNECTORS.map((c) => [c.id]))(
  '%s: its README adds an instance of the installed id',
  (id) => {
    const readme = fs.readFileSync(path.join(__dirname, id, 'README.md'), 'utf8');
    const adds = [...readme.matchAll(/connectors add ([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(adds.length).toBeGreaterThan(0);
    expect(adds.filter((a) => a !== id)).toEqual([]);
  },
);

#!/usr/bin/env node
// `npm start` builds only when a source changed since the last build (a build is ~13 s of a start):
// compares the newest modification time under the compiled folders with dist's build stamp.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const INPUTS = [
  'apps',
  'libs',
  'plugins',
  'bench',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

function newest(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules') m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const changed = Math.max(...INPUTS.map((i) => newest(path.join(root, i))));
if (built && changed <= built && process.env.TRADELANE_FORCE_BUILD !== 'true') process.exit(0);
const started = Date.now();
// The server (tsc, one core) and the web app (vite) build side by side: a newcomer's first start
// waits for the slower of the two, not for both.
const run = (script) =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', script, '--silent'], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run ${script} exited with ${code}`)),
    );
  });
Promise.all([run('build:server'), run('build:web')]).then(
  () => {
    fs.writeFileSync(stamp, new Date().toISOString());
    console.error(
      `build: ${((Date.now() - started) / 1000).toFixed(1)} s (${built ? 'sources changed' : 'first build'})`,
    );
  },
  (err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  },
);

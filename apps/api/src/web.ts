import type { NestExpressApplication } from '@nestjs/platform-express';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The built web console and partner portal (apps/web, `npm run build:web`). */
export const WEB_DIR = path.resolve(__dirname, '../../../web');

/** The app's own pages: the shell answers them and the browser router draws the page. */
const PAGES = /^\/(?:$|login$|console(?:\/|$)|portal(?:\/|$))/;

/**
 * Serves the single-page app at `/`: hashed assets under /assets (cached for a year) and the
 * shell for its pages (never cached, so a new build is seen at once). The API keeps every other
 * path; the app itself talks to the API only (the generated client in apps/web/src/api).
 * Without a build (a checkout that ran only tsc) `/` says how to make one.
 */
export function mountWebApp(app: NestExpressApplication, dir = WEB_DIR): boolean {
  const index = path.join(dir, 'index.html');
  const built = fs.existsSync(index);
  if (built)
    app.useStaticAssets(path.join(dir, 'assets'), {
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
    });
  app.use((req: { method: string; path: string }, res: WebResponse, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !PAGES.test(req.path)) return next();
    if (!built) {
      res
        .status(503)
        .type('text/plain')
        .send('The web console is not built: run `npm run build:web` (npm start does it).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return built;
}

interface WebResponse {
  status(code: number): WebResponse;
  type(t: string): WebResponse;
  send(body: string): void;
  setHeader(name: string, value: string): void;
  sendFile(file: string): void;
}

import * as path from 'node:path';

/**
 * A file name built from partner data (an IDoc number, an order id) made safe: only letters,
 * digits, `.`, `_` and `-`, no leading dot, at most 200 characters. The result is checked to stay
 * in `folder` all the same.
 */
export function safeFilePath(folder: string, name: string): string {
  const clean = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 200);
  if (!clean || clean === '.' || clean === '..')
    throw new Error(`file name "${name}" has no usable character`);
  const file = path.resolve(folder, clean);
  if (path.dirname(file) !== path.resolve(folder))
    throw new Error(`file name "${name}" would leave the folder ${folder}`);
  return file;
}

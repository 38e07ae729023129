import { constants, promises as fs } from 'node:fs';
import { AcceptChannel, CheckResult } from './define-connector';
import { verifyWebhook, WebhookVerdict } from './standard-webhooks';

/**
 * `check()` for connectors that read a drop folder (and may take HTTP pushes too): the folder must
 * be readable and writable (taken files move to `processed/`); without one, only pushes are taken.
 */
export async function checkDropFolder(folder: string | undefined): Promise<CheckResult> {
  if (!folder) return { ok: true, code: 'ok', message: 'HTTP push only (no dropFolder)' };
  try {
    await fs.access(folder, constants.R_OK | constants.W_OK);
    return { ok: true, code: 'ok', message: `drop folder ${folder} is readable and writable` };
  } catch (e) {
    return { ok: false, code: 'config', message: `drop folder ${folder}: ${(e as Error).message}` };
  }
}

/**
 * The accept channels of a connector that takes a system's files from a drop folder and the same
 * payloads pushed over HTTP, signed (SAP's file port, D365's DMF exports): one `file` channel on
 * `folderField` and one signed `webhook` channel. Pair it with {@link verifySignedPush}.
 */
export function dropFolderAndSignedPush(o: {
  /** What the payloads are, e.g. `Flat-file IDocs written by an SAP file port`. */
  what: string;
  files: string;
  push: string;
  folderField?: string;
}): AcceptChannel[] {
  const folderField = o.folderField ?? 'dropFolder';
  return [
    { name: o.files, via: 'file', folderField, description: `${o.what}, written into ${folderField}` },
    {
      name: o.push,
      via: 'webhook',
      signed: true,
      description: `${o.what}, pushed as the body, signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature v1 with the instance's webhookSecret)`,
    },
  ];
}

/**
 * `verifySignature` of such a connector: the Standard Webhooks signature (id, timestamp and body
 * signed together: replays and stale pushes are refused) with the instance's secret, or a refusal
 * when the instance has none (pushes are then not taken).
 */
export function verifySignedPush(
  secret: string | undefined,
  body: Buffer,
  headers: Record<string, string>,
): WebhookVerdict {
  return secret
    ? verifyWebhook(secret, body, headers)
    : { ok: false, reason: 'no webhookSecret is configured for this instance' };
}

import { Injectable, Logger } from '@nestjs/common';
import { ConnectorError, SftpSettings } from '@tradelane/connector-sdk';
import { BackgroundJobs, IntervalJob } from '@tradelane/messaging';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorInstanceService } from './connector-instance.service';
import { ConnectorRegistry } from './connector.registry';
import { PROCESSED_DIR } from './file-drop.job';
import { OutboundPolicies } from './outbound-policies';
import { recordMessageId } from './record-id.util';
import { RECEIVED_AT, WebhookService } from './webhook.service';

const FILES_PER_TICK = 100;
/** A partner's file larger than this is left on the server (the push limit of the HTTP channel). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
export const SENT_DIR = 'sent';

interface SftpConfig {
  sftp?: SftpSettings;
  sftpPassword?: string;
  sftpPrivateKey?: string;
  outboundFolder?: string;
}

/** `SHA256:<base64, no padding>` of a raw host key, as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * SFTP pickup and delivery (`accept` channels `via: 'sftp'`): every CONNECTOR_FILE_POLL_SECONDS, for
 * each running instance with an SFTP server configured, connects with the pinned host key (any other
 * key is refused, with both fingerprints in the error and the instance's check), downloads the files
 * of `remoteInbound` oldest name first, puts each on the bus whole (the same path and the same
 * idempotency as a dropped file: its id comes from path, size and time, so a file downloaded again
 * after a crash is the same message), and only after the broker has it deletes it on the server or
 * moves it to `processed/`. Then uploads what the connector wrote into `outboundFolder` to
 * `remoteOutbound`, under a temporary `.name.part` renamed when complete, and moves it locally to
 * `sent/`.
 */
@Injectable()
export class SftpJob extends IntervalJob {
  readonly name = 'sftp';
  protected get intervalMs(): number {
    return Number(process.env.CONNECTOR_FILE_POLL_SECONDS ?? 10) * 1000;
  }
  protected override readonly runAtStart = true;
  private readonly log = new Logger(SftpJob.name);

  constructor(
    private readonly repo: ConnectorInstanceRepository,
    private readonly registry: ConnectorRegistry,
    private readonly instances: ConnectorInstanceService,
    private readonly webhooks: WebhookService,
    private readonly outbound: OutboundPolicies,
    jobs: BackgroundJobs,
  ) {
    super(jobs);
  }

  protected tick(): Promise<number> {
    return this.runOnce();
  }

  /** One pass over every SFTP server; returns how many files were taken and sent. */
  async runOnce(): Promise<number> {
    let moved = 0;
    for (const row of await this.repo.list()) {
      if (row.state === 'paused' || !this.registry.has(row.connectorId)) continue;
      const channel = (this.registry.get(row.connectorId).capabilities.accept ?? []).find(
        (c) => c.via === 'sftp',
      );
      if (!channel || !row.settings[channel.sftpField ?? 'sftp']) continue;
      try {
        moved += await this.serve(row.id, row.tenant, channel.name);
      } catch (e) {
        const err = ConnectorError.from(e, 'sftp');
        this.log.warn(`${row.id} ${channel.name}: ${err.message}`);
        if (err.needsAttention) await this.repo.recordCheck(row.id, err.kind, err.message, 'failing');
      }
    }
    return moved;
  }

  private async serve(instanceId: string, tenant: string, channel: string): Promise<number> {
    const { config } = await this.instances.config(instanceId);
    const c = config as SftpConfig;
    const s = c.sftp as SftpSettings;
    // The same outbound policy as HTTP: no private, loopback or metadata address unless allowed.
    const refused = await (
      await this.outbound.forTenant(tenant)
    ).checkUrl(`https://${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}/`);
    if (refused)
      throw new ConnectorError('config', `sftp.host ${s.host}: ${refused}`, { field: 'sftp.host' });
    const client = await this.connect(instanceId, s, c);
    try {
      const taken = await this.pickUp(client, instanceId, tenant, channel, s);
      const sent =
        c.outboundFolder && s.remoteOutbound
          ? await this.deliver(client, instanceId, c.outboundFolder, s.remoteOutbound)
          : 0;
      return taken + sent;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Connects with the pinned host key; a different key is refused naming both fingerprints. */
  async connect(
    instanceId: string,
    s: SftpSettings,
    c: Pick<SftpConfig, 'sftpPassword' | 'sftpPrivateKey'>,
  ): Promise<SftpClient> {
    // Loaded when first needed: a worker with no SFTP partner never pays for ssh2 at start.
    const { default: Client } = await import('ssh2-sftp-client');
    const client = new Client(instanceId);
    let seen: string | undefined;
    try {
      await client.connect({
        host: s.host,
        port: s.port,
        username: s.username,
        ...(c.sftpPrivateKey ? { privateKey: c.sftpPrivateKey } : {}),
        ...(c.sftpPassword ? { password: c.sftpPassword } : {}),
        readyTimeout: 15_000,
        retries: 0,
        hostVerifier: (key: Buffer) => {
          seen = hostKeyFingerprint(key);
          return seen === s.hostKey;
        },
      });
    } catch (e) {
      if (seen && seen !== s.hostKey)
        throw new ConnectorError(
          'config',
          `SFTP ${s.host}:${s.port} presents host key ${seen}, not the pinned ${s.hostKey}: refused (check the new key with the partner before changing sftp.hostKey)`,
          { field: 'sftp.hostKey' },
        );
      const message = (e as Error).message ?? String(e);
      throw new ConnectorError(
        /authentication|auth methods/i.test(message) ? 'auth' : 'retryable',
        `SFTP ${s.host}:${s.port} as ${s.username}: ${message.replace(/^connect: /, '')}`,
        { field: 'sftp' },
      );
    }
    return client;
  }

  private async pickUp(
    client: SftpClient,
    instanceId: string,
    tenant: string,
    channel: string,
    s: SftpSettings,
  ): Promise<number> {
    const settled = Date.now() - (s.settleSeconds ?? 5) * 1000;
    const entries = (await client.list(s.remoteInbound))
      // Not a file still being written (changed within settleSeconds), not a hidden or temporary one.
      .filter(
        (e) =>
          e.type === '-' && !e.name.startsWith('.') && e.size <= MAX_FILE_BYTES && e.modifyTime <= settled,
      )
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, FILES_PER_TICK);
    if (!entries.length) return 0;
    if (s.afterPickup === 'move' && !(await client.exists(path.posix.join(s.remoteInbound, PROCESSED_DIR))))
      await client.mkdir(path.posix.join(s.remoteInbound, PROCESSED_DIR));
    for (const e of entries) {
      const remote = path.posix.join(s.remoteInbound, e.name);
      const body = (await client.get(remote)) as Buffer;
      const at = new Date(e.modifyTime).toISOString();
      // The same file downloaded again (a crash before it was removed) is the same message.
      const id = recordMessageId(instanceId, `sftp:${channel}`, remote, at, { size: e.size });
      await this.webhooks.publish(
        instanceId,
        tenant,
        channel,
        body,
        { 'x-file-name': e.name, [RECEIVED_AT]: at },
        id,
      );
      if (s.afterPickup === 'delete') await client.delete(remote);
      else {
        // A name taken before (partners reuse daily names) gets the message id's prefix.
        let target = path.posix.join(s.remoteInbound, PROCESSED_DIR, e.name);
        if (await client.exists(target)) target = `${target}.${id.slice(0, 13)}`;
        await client.rename(remote, target);
      }
    }
    this.log.log(
      `${instanceId} ${channel}: ${entries.length} file(s) taken from ${s.host}:${s.remoteInbound}`,
    );
    return entries.length;
  }

  private async deliver(
    client: SftpClient,
    instanceId: string,
    folder: string,
    remoteFolder: string,
  ): Promise<number> {
    const names = (await fs.readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.endsWith('.tmp'))
      .map((e) => e.name)
      .sort()
      .slice(0, FILES_PER_TICK);
    if (!names.length) return 0;
    await fs.mkdir(path.join(folder, SENT_DIR), { recursive: true });
    for (const name of names) {
      const local = path.join(folder, name);
      const part = path.posix.join(remoteFolder, `.${name}.part`);
      const target = path.posix.join(remoteFolder, name);
      await client.put(local, part);
      // The partner's pickup sees the file only complete; a retry after a crash replaces it.
      if (await client.exists(target)) await client.delete(target);
      await client.rename(part, target);
      await fs.rename(local, path.join(folder, SENT_DIR, name));
    }
    this.log.log(`${instanceId}: ${names.length} file(s) sent to ${remoteFolder}`);
    return names.length;
  }
}

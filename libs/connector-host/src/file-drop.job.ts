import { Injectable, Logger } from '@nestjs/common';
import { BackgroundJobs, IntervalJob } from '@tradelane/messaging';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorRegistry } from './connector.registry';
import { InstanceGuards } from './instance-guards';
import { recordMessageId } from './record-id.util';
import { RECEIVED_AT, WebhookService } from './webhook.service';

const FILES_PER_TICK = 100;
export const PROCESSED_DIR = 'processed';

/**
 * Drop folders (`accept` channels `via: 'file'`): every CONNECTOR_FILE_POLL_SECONDS each active
 * instance's folder is read, oldest name first; a file goes onto the bus whole (the same path as an
 * HTTP push: translated by the connector, dead-lettered with the reason if it cannot be), and only
 * after the broker confirmed it moves to `processed/`. A crash in between reads it again under the
 * same message id (from instance, channel, name, size and time), which the inbox skips.
 */
@Injectable()
export class FileDropJob extends IntervalJob {
  readonly name = 'file-drop';
  /** Read when the job starts (not when the module loads): CONNECTOR_FILE_POLL_SECONDS, default 10. */
  protected get intervalMs(): number {
    return Number(process.env.CONNECTOR_FILE_POLL_SECONDS ?? 10) * 1000;
  }
  protected override readonly runAtStart = true;
  private readonly log = new Logger(FileDropJob.name);

  constructor(
    private readonly instances: ConnectorInstanceRepository,
    private readonly registry: ConnectorRegistry,
    private readonly webhooks: WebhookService,
    private readonly guards: InstanceGuards,
    jobs: BackgroundJobs,
  ) {
    super(jobs);
  }

  /** One pass over every folder; returns how many files were taken. */
  async runOnce(): Promise<number> {
    let taken = 0;
    for (const instance of await this.instances.list()) {
      if (instance.state === 'paused' || !this.registry.has(instance.connectorId)) continue;
      const def = this.registry.get(instance.connectorId);
      for (const channel of def?.capabilities.accept ?? []) {
        if (channel.via !== 'file' || !channel.folderField) continue;
        const folder = instance.settings[channel.folderField];
        if (typeof folder !== 'string' || !folder) continue;
        // Checked again at every pass: the roots may have narrowed since the instance was added.
        const confined = this.guards.confinedFolder(folder);
        if (!confined.ok) {
          this.log.warn(`${instance.id} ${channel.name}: not read: ${confined.reason}`);
          continue;
        }
        taken += await this.drain(instance.id, instance.tenant, channel.name, confined.real);
      }
    }
    return taken;
  }

  protected tick(): Promise<number> {
    return this.runOnce();
  }

  private async drain(instanceId: string, tenant: string, channel: string, folder: string): Promise<number> {
    let names: string[];
    try {
      const entries = await fs.readdir(folder, { withFileTypes: true });
      names = entries
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort()
        .slice(0, FILES_PER_TICK);
    } catch (e) {
      this.log.warn(`${instanceId} ${channel}: cannot read ${folder}: ${(e as Error).message}`);
      return 0;
    }
    if (!names.length) return 0;
    await fs.mkdir(path.join(folder, PROCESSED_DIR), { recursive: true });
    for (const name of names) {
      const file = path.join(folder, name);
      const [body, stat] = await Promise.all([fs.readFile(file), fs.stat(file)]);
      // UUIDv7 from the file's time, name and size: the same file read again is the same message.
      const id = recordMessageId(instanceId, `file:${channel}`, name, stat.mtime.toISOString(), {
        size: stat.size,
      });
      const headers = { 'x-file-name': name, [RECEIVED_AT]: stat.mtime.toISOString() };
      await this.webhooks.publish(instanceId, tenant, channel, body, headers, id);
      await fs.rename(file, path.join(folder, PROCESSED_DIR, name));
    }
    this.log.log(`${instanceId} ${channel}: ${names.length} file(s) taken from ${folder}`);
    return names.length;
  }
}

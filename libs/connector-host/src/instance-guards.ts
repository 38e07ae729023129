import { Inject, Injectable } from '@nestjs/common';
import { ConnectorDefinition, folderFieldsOf } from '@tradelane/connector-sdk';
import { FileRoots } from './file-roots';
import { FILE_ROOTS } from './file-roots.provider';
import { OutboundPolicy } from './outbound';
import { OutboundPolicies } from './outbound-policies';

/**
 * What keeps a connector instance inside its bounds: its folders within TRADELANE_FILE_ROOTS
 * (symlinks resolved), its URLs away from private, loopback and metadata addresses unless allowed
 * (TRADELANE_OUTBOUND_ALLOW), and the guarded HTTP agents every runtime's outbound calls use.
 */
@Injectable()
export class InstanceGuards {
  constructor(
    @Inject(FILE_ROOTS) private readonly roots: FileRoots,
    private readonly outbound: OutboundPolicies,
  ) {}

  /** The guarded agents of a tenant's runtimes: one pair per allowance (keep-alive connections are shared). */
  async agents(tenant: string): Promise<ReturnType<OutboundPolicy['agents']>> {
    return (await this.outbound.forTenant(tenant)).agents();
  }

  /** URL checks of the last minute: a runtime is built for every pull and send, DNS need not be asked each time. */
  private readonly checkedUrls = new Map<string, { at: number; refused: string | undefined }>();

  /** The first URL setting that points at an address connectors may not reach, as `config.<field>: <reason>`. */
  async unreachableUrl(config: object, tenant: string): Promise<string | undefined> {
    const policy = await this.outbound.forTenant(tenant);
    for (const [field, value] of Object.entries(config)) {
      if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
      const key = `${[...policy.allowed].sort().join(',')} ${value}`;
      let checked = this.checkedUrls.get(key);
      if (!checked || Date.now() - checked.at > 60_000) {
        checked = { at: Date.now(), refused: await policy.checkUrl(value) };
        if (this.checkedUrls.size > 1_000) this.checkedUrls.clear();
        this.checkedUrls.set(key, checked);
      }
      if (checked.refused) return `config.${field}: ${checked.refused}`;
    }
    return undefined;
  }

  /**
   * Folders in the configuration (drop folders, outbound folders) must lie inside the file roots,
   * symlinks resolved: otherwise an instance could read, move and publish any file the process can.
   * Returns the first violation as `config.<field>: <reason>`.
   */
  outsideRoots(def: ConnectorDefinition, config: object): string | undefined {
    for (const field of folderFieldsOf(def)) {
      const folder = (config as Record<string, unknown>)[field];
      if (typeof folder !== 'string' || !folder) continue;
      const r = this.roots.check(folder);
      if (!r.ok) return `config.${field}: ${r.reason}`;
    }
    return undefined;
  }

  /** The folder of an accept channel, resolved, if it is inside the file roots (the drop job's check). */
  confinedFolder(folder: string): { ok: true; real: string } | { ok: false; reason: string } {
    return this.roots.check(folder);
  }
}

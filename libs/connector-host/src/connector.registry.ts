import { Injectable } from '@nestjs/common';
import { ConnectorDefinition } from '@tradelane/connector-sdk';

export type Capability = 'pull' | 'accept' | 'send';

/**
 * Every installed connector, keyed by id. Core finds connectors here, by id and capability,
 * never by switching on a provider name (STYLE.md rule 9).
 */
@Injectable()
export class ConnectorRegistry {
  private readonly byId = new Map<string, ConnectorDefinition>();

  register(def: ConnectorDefinition): void {
    const existing = this.byId.get(def.id);
    if (existing && existing !== def)
      throw new Error(
        `connector ${def.id} is registered twice (versions ${existing.version} and ${def.version})`,
      );
    this.byId.set(def.id, def);
  }

  get(id: string): ConnectorDefinition {
    const def = this.byId.get(id);
    if (!def)
      throw new Error(
        `no connector "${id}" is installed (installed: ${[...this.byId.keys()].sort().join(', ') || 'none'})`,
      );
    return def;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  list(): ConnectorDefinition[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Connectors that can pull, accept, or send the given CRM event type. */
  withCapability(capability: Capability, eventType?: string): ConnectorDefinition[] {
    return this.list().filter((d) => {
      const c = d.capabilities[capability];
      if (!c?.length) return false;
      return capability !== 'send' || eventType === undefined || (c as string[]).includes(eventType);
    });
  }
}

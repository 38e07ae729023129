import { ClassConstructor } from 'class-transformer';
import { MESSAGE_TYPE_PATTERN } from './envelope';

/** Contexts a connector publishes inbound events under. */
export const SOURCE_CONTEXTS = ['erp', 'wms', 'tms', 'email', 'portal'] as const;
export type SourceContext = (typeof SOURCE_CONTEXTS)[number];

export interface ContractDefinition {
  /** `<aggregate>.<event>`, e.g. `customer.upserted`. */
  name: string;
  version: number;
  /** Contexts the contract may be published under (`erp.customer.upserted.v1`, `wms.customer...`). */
  contexts: readonly string[];
  payload: ClassConstructor<object>;
  description: string;
}

export class ContractRegistry {
  private readonly byType = new Map<string, ContractDefinition>();

  constructor(readonly definitions: readonly ContractDefinition[]) {
    for (const def of definitions) {
      for (const type of ContractRegistry.typesOf(def)) {
        if (!MESSAGE_TYPE_PATTERN.test(type))
          throw new Error(`Contract type ${type} is not a valid message type`);
        if (this.byType.has(type)) throw new Error(`Contract type ${type} is defined twice`);
        this.byType.set(type, def);
      }
    }
  }

  static typesOf(def: ContractDefinition): string[] {
    return def.contexts.map((ctx) => `${ctx}.${def.name}.v${def.version}`);
  }

  get(type: string): ContractDefinition | undefined {
    return this.byType.get(type);
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }
}

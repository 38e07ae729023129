import { Inject, Injectable, Logger } from '@nestjs/common';
import { INBOUND_EXCHANGE, MESSAGE_BUS, MessageBus } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { northwindToEnvelopes } from './northwind.mapper';

/** `config/sample/northwind` of the installation (found upwards from here: works from src and dist). */
export function sampleDir(): string {
  if (process.env.TRADELANE_SAMPLE_DIR) return process.env.TRADELANE_SAMPLE_DIR;
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'config', 'sample', 'northwind');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('config/sample/northwind not found; set TRADELANE_SAMPLE_DIR');
}

/**
 * Loads the bundled Northwind sample by publishing it to `tradelane.inbound` as an ERP connector
 * would, so it goes through the whole pipeline (validation, inbox, handlers, ledger, outbox).
 */
@Injectable()
export class SampleDataService {
  private readonly logger = new Logger(SampleDataService.name);

  constructor(
    private readonly db: Database,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  /** `TRADELANE_SAMPLE`: `auto` (default; load when the embedded database has no customer), `on`, `off`. */
  async loadIfWanted(mode = process.env.TRADELANE_SAMPLE ?? 'auto'): Promise<number> {
    if (mode === 'off') return 0;
    if (mode === 'auto') {
      if (!this.db.embedded) return 0;
      const [row] = await this.db.sql<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM crm_customer) AS any');
      if (row.any) return 0;
    }
    return this.load();
  }

  async load(dir = sampleDir()): Promise<number> {
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    const envelopes = northwindToEnvelopes({
      customers: read('customers.csv'),
      orders: read('orders.csv'),
      orderDetails: read('order-details.csv'),
      shippers: read('shippers.csv'),
    });
    for (const e of envelopes) await this.bus.publish(INBOUND_EXCHANGE, e);
    this.logger.log(
      `sample: published ${envelopes.length} Northwind events (customers, orders) to ${INBOUND_EXCHANGE}`,
    );
    return envelopes.length;
  }
}

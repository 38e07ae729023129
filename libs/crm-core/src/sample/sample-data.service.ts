import { Inject, Injectable, Logger } from '@nestjs/common';
import { INBOUND_EXCHANGE, MESSAGE_BUS, MessageBus } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CustomerDirectory } from '../customer/customer-directory';
import { OrderService } from '../order/order.service';
import { SatisfactionService } from '../satisfaction/satisfaction.service';
import { SegmentService } from '../segment/segment.service';
import { northwindToEnvelopes } from './northwind.mapper';
import { SAMPLE_SOURCE, sampleAnswers, SURVEYED } from './sample-answers';

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
    private readonly satisfaction: SatisfactionService,
    private readonly segments: SegmentService,
    private readonly customers: CustomerDirectory,
    private readonly orders: OrderService,
  ) {}

  /** `TRADELANE_SAMPLE`: `auto` (default; load when the embedded database has no customer), `on`, `off`. */
  async loadIfWanted(mode = process.env.TRADELANE_SAMPLE ?? 'auto'): Promise<number> {
    if (mode === 'off') return 0;
    if (mode === 'auto') {
      if (!this.db.embedded) return 0;
      if (await this.customers.any()) return 0;
    }
    return this.load();
  }

  /**
   * Publishes the sample with its dates moved to now (northwind.mapper: whole weeks, newest order
   * 3-9 days ago), then, once its customers exist, records their survey answers.
   */
  async load(dir = sampleDir(), loadedAt = new Date()): Promise<number> {
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    const envelopes = northwindToEnvelopes(
      {
        customers: read('customers.csv'),
        orders: read('orders.csv'),
        orderDetails: read('order-details.csv'),
        shippers: read('shippers.csv'),
      },
      { loadedAt },
    );
    for (const e of envelopes) await this.bus.publish(INBOUND_EXCHANGE, e);
    const days = Math.round(
      (Date.parse(envelopes[0].occurredAt) - Date.parse('1996-07-01T00:00:00Z')) / 86_400_000,
    );
    this.logger.log(
      `sample: published ${envelopes.length} Northwind events (customers, orders, deliveries, invoices, interactions) ` +
        `to ${INBOUND_EXCHANGE}, dates moved ${days} days (${days / 7} weeks) forward`,
    );
    this.afterLoad(loadedAt, envelopes.filter((e) => e.type === 'erp.order.upserted.v1').length);
    return envelopes.length;
  }

  /**
   * Once the sample's orders are all in (background, bounded): survey answers (they go to a unified
   * customer, which must exist), then one classification run, so segments and lifecycle stages show
   * at once instead of at the next scheduled run.
   */
  private afterLoad(loadedAt: Date, orders: number): void {
    const deadline = Date.now() + 120_000;
    const attempt = async (): Promise<void> => {
      const n = await this.orders.countFromSource(SAMPLE_SOURCE);
      const byExternal = await this.customers.customersOfRecords(
        SAMPLE_SOURCE,
        SURVEYED.map((s) => s.customer),
      );
      if (n < orders || byExternal.size < SURVEYED.length) {
        if (Date.now() < deadline) setTimeout(() => void attempt().catch(fail), 1_000).unref();
        else
          this.logger.warn('sample: its orders did not arrive within 2 minutes; survey answers not recorded');
        return;
      }
      // Hundreds of rows just arrived: the first classification joins them, with the statistics
      // of a few seconds ago the embedded planner would loop for seconds and hold the process.
      await this.db.refreshStatistics();
      for (const s of SURVEYED)
        await this.satisfaction.record(byExternal.get(s.customer) as string, sampleAnswers(s, loadedAt));
      this.logger.log(`sample: survey answers recorded for ${SURVEYED.length} customers`);
      await this.segments.classify();
      this.logger.log('sample: customers classified (ABC, lifecycle, value)');
    };
    const fail = (e: unknown) =>
      this.logger.warn(`sample: survey answers not recorded: ${(e as Error).message}`);
    setTimeout(() => void attempt().catch(fail), 1_000).unref();
  }
}

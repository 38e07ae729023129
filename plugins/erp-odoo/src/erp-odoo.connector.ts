import { CanonicalRecord, ConnectorError, defineConnector } from '@tradelane/connector-sdk';
import { OdooClient } from './client/odoo.client';
import { ErpOdooConfig } from './erp-odoo.config';
import {
  CONTACT_FIELDS,
  fieldsOf,
  isStream,
  LINE_FIELDS,
  mapPage,
  OdooRecord,
  odooTime,
  STREAM_DOMAIN,
  StreamName,
  STREAMS,
} from './mapping/odoo.mapper';
import { assertUnchanged, partnerValues } from './outbound/odoo.writer';

/** Records per keys() / fetch() call to Odoo. */
const KEY_PAGE = 500;

/** Cursor: the last record's write_date and id (ties on write_date are broken by id). */
interface Cursor {
  w: string;
  id: number;
}

function known(stream: string): asserts stream is StreamName {
  if (!isStream(stream))
    throw new ConnectorError('config', `unknown stream "${stream}"`, { field: 'stream' });
}

function parseCursor(cursor: string | null): Cursor | null {
  if (!cursor) return null;
  try {
    const c = JSON.parse(cursor) as Cursor;
    if (typeof c.w === 'string' && typeof c.id === 'number') return c;
  } catch {
    // fall through
  }
  throw new ConnectorError('config', `cursor ${cursor} is not an erp-odoo cursor`, { field: 'cursor' });
}

/**
 * Odoo 16–18 over its external JSON-RPC API: customers (res.partner), sales orders with lines,
 * customer invoices (account.move) and deliveries (stock.picking), pulled by write_date.
 */
export const erpOdooConnector = defineConnector<ErpOdooConfig>({
  id: 'erp-odoo',
  kind: 'erp',
  version: '0.1.0',
  compatibility: '^1',
  description: 'Odoo 16–18 (JSON-RPC): partners, sales orders, invoices, deliveries',
  configSchema: ErpOdooConfig,
  secrets: ['apiKey'],
  capabilities: {
    send: ['crm.customer.created.v1', 'crm.customer.updated.v1', 'crm.customer.merged.v1'],
    pull: [
      {
        name: 'partners',
        description: 'res.partner (companies and individuals) changed after the cursor',
        emits: ['customer.upserted'],
      },
      { name: 'orders', description: 'sale.order (confirmed) with lines', emits: ['order.upserted'] },
      {
        name: 'invoices',
        description: 'account.move customer invoices (posted)',
        emits: ['invoice.upserted'],
      },
      {
        name: 'pickings',
        description: 'stock.picking outgoing deliveries',
        emits: ['delivery.status-changed'],
      },
    ],
  },
  create(config, context) {
    const client = new OdooClient(config, context.outbound);
    let major: number | undefined;
    const version = async () => {
      if (major === undefined) {
        const v = await client.version();
        major = Number(v.server_version_info?.[0]) || Number.parseInt(v.server_version, 10) || 17;
      }
      return major;
    };
    /** Records of a stream matching `domain`, with their contacts (partners) or lines (orders), mapped. */
    const load = async (stream: StreamName, domain: unknown[], o: { limit?: number; order: string }) => {
      const rows = await client.searchRead<OdooRecord>(
        STREAMS[stream].model,
        [...STREAM_DOMAIN[stream], ...domain],
        fieldsOf(stream, await version()),
        o,
      );
      const contacts =
        stream === 'partners' && rows.length
          ? await client.searchRead<OdooRecord>(
              'res.partner',
              [
                ['parent_id', 'in', rows.map((r) => r.id)],
                ['is_company', '=', false],
              ],
              CONTACT_FIELDS,
              { order: 'parent_id asc, id asc' },
            )
          : [];
      const lines =
        stream === 'orders' && rows.length
          ? await client.searchRead<OdooRecord>(
              'sale.order.line',
              [['order_id', 'in', rows.map((r) => r.id)]],
              LINE_FIELDS,
              { order: 'order_id asc, sequence asc, id asc' },
            )
          : [];
      return { rows, records: mapPage(stream, rows, stream === 'partners' ? contacts : lines) };
    };
    return {
      async check() {
        try {
          const v = await client.version();
          await client.login();
          return {
            ok: true,
            code: 'ok',
            message: `logged in to Odoo ${v.server_version} (${config.database})`,
          };
        } catch (e) {
          const err = ConnectorError.from(e, 'check');
          return { ok: false, code: err.kind, message: err.message };
        }
      },
      async discover() {
        const v = await client.version();
        return { streams: Object.keys(STREAMS), details: { version: v.server_version } };
      },
      async send(event, context) {
        const records = context.customer?.records ?? [];
        const read = async (ids: number[]) => {
          const rows = await client.execute<unknown>('res.partner', 'read', [ids], {
            fields: ['write_date'],
          });
          if (!Array.isArray(rows))
            throw new ConnectorError('permanent', 'res.partner.read: expected a list of records in result', {
              field: 'res.partner.read.result',
            });
          return rows as { id: number; write_date: string }[];
        };
        if (event.type === 'crm.customer.merged.v1') {
          // Written back as Odoo would after a merge: the merged partner is archived, pointing at the survivor.
          const survivor = records[0]?.externalId;
          for (const r of context.mergedRecords ?? []) {
            const values = {
              active: false,
              ...(survivor ? { comment: `Merged into res.partner ${survivor} by Tradelane CRM` } : {}),
            };
            const [partner] = await read([Number(r.externalId)]);
            if (!partner) continue; // already gone in Odoo
            if (!context.force) assertUnchanged(partner, r, values);
            await client.execute('res.partner', 'write', [[partner.id], values]);
          }
          return;
        }
        const fields = context.customer?.fields;
        if (!fields) return;
        const changed = (event.payload as { changedFields?: string[] }).changedFields ?? null;
        if (!records.length) {
          // A customer Odoo does not have yet: created with everything the CRM knows.
          const values = partnerValues(fields, null, []);
          await client.execute('res.partner', 'create', [{ ...values, is_company: true }]);
          return;
        }
        const values = partnerValues(fields, changed, config.ownedFields);
        if (!Object.keys(values).length) return;
        for (const r of records) {
          const [partner] = await read([Number(r.externalId)]);
          if (!partner)
            throw new ConnectorError('permanent', `res.partner ${r.externalId} no longer exists in Odoo`, {
              field: `res.partner[${r.externalId}]`,
            });
          // A person who resolved a conflict with the CRM's value overwrites the change made in Odoo.
          if (!context.force) assertUnchanged(partner, r, values);
          await client.execute('res.partner', 'write', [[partner.id], values]);
        }
      },
      async pull(stream, cursor) {
        known(stream);
        const c = parseCursor(cursor);
        const after = c
          ? ['|', ['write_date', '>', c.w], '&', ['write_date', '=', c.w], ['id', '>', c.id]]
          : [];
        const { rows, records } = await load(stream, after, {
          limit: config.pageSize,
          order: 'write_date asc, id asc',
        });
        const last = rows[rows.length - 1];
        return {
          records,
          cursor: last ? JSON.stringify({ w: last.write_date, id: last.id }) : cursor,
          hasMore: rows.length === config.pageSize,
        };
      },
      /** Ids (partners) or names (orders, invoices, pickings) with write_date: one cheap read per page. */
      async keys(stream, since) {
        known(stream);
        const model = STREAMS[stream].model;
        const out: { key: string; occurredAt: string }[] = [];
        for (let lastId = 0; ;) {
          const page = await client.searchRead<{ id: number; name?: unknown; write_date: unknown }>(
            model,
            [
              ...STREAM_DOMAIN[stream],
              ...(since ? [['write_date', '>=', since.replace('T', ' ').slice(0, 19)]] : []),
              ['id', '>', lastId],
            ],
            stream === 'partners' ? ['id', 'write_date'] : ['id', 'name', 'write_date'],
            { limit: KEY_PAGE, order: 'id asc' },
          );
          for (const r of page)
            out.push({
              key: stream === 'partners' ? String(r.id) : String(r.name),
              occurredAt: odooTime(r.write_date, `${model}[${r.id}].write_date`) ?? new Date(0).toISOString(),
            });
          if (page.length < KEY_PAGE) return out;
          lastId = page[page.length - 1].id;
        }
      },
      /** The records with these keys, mapped exactly as a pull maps them. */
      async fetch(stream, keys) {
        known(stream);
        const records: CanonicalRecord[] = [];
        for (let i = 0; i < keys.length; i += KEY_PAGE) {
          const chunk = keys.slice(i, i + KEY_PAGE);
          const byKey =
            stream === 'partners'
              ? ['id', 'in', chunk.map(Number).filter((n) => Number.isInteger(n))]
              : ['name', 'in', chunk];
          records.push(...(await load(stream, [byKey], { order: 'id asc' })).records);
        }
        return records;
      },
    };
  },
});

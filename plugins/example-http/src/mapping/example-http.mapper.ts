import { CanonicalRecord, ConnectorError } from '@tradelane/connector-sdk';

/** Streams this source offers, and the canonical record type each becomes. */
export const STREAMS = { customers: 'customer.upserted', orders: 'order.upserted' } as const;
export type StreamName = keyof typeof STREAMS;

type Item = Record<string, unknown>;

function text(item: Item, field: string, at: string, required?: true): string;
function text(item: Item, field: string, at: string, required: false): string | undefined;
function text(item: Item, field: string, at: string, required = true): string | undefined {
  const v = item[field];
  if (v === undefined || v === null || v === '') {
    if (required)
      throw new ConnectorError('permanent', `${at}.${field} is missing`, { field: `${at}.${field}` });
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new ConnectorError('permanent', `${at}.${field} must be a string`, { field: `${at}.${field}` });
  return String(v);
}

function time(item: Item, field: string, at: string, required?: true): string;
function time(item: Item, field: string, at: string, required: false): string | undefined;
function time(item: Item, field: string, at: string, required = true): string | undefined {
  const v = required ? text(item, field, at) : text(item, field, at, false);
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms))
    throw new ConnectorError('permanent', `${at}.${field} is not a date: "${v}"`, {
      field: `${at}.${field}`,
    });
  return new Date(ms).toISOString();
}

function customer(item: Item, at: string): CanonicalRecord {
  const id = text(item, 'id', at) as string;
  return {
    type: STREAMS.customers,
    key: id,
    occurredAt: time(item, 'updatedAt', at) as string,
    payload: {
      externalId: id,
      name: text(item, 'name', at),
      vatId: text(item, 'vat', at, false),
      email: text(item, 'email', at, false),
      city: text(item, 'city', at, false),
      country: text(item, 'country', at, false),
    },
  };
}

function order(item: Item, at: string): CanonicalRecord {
  const number = text(item, 'number', at) as string;
  const lines = Array.isArray(item.lines) ? (item.lines as Item[]) : [];
  return {
    type: STREAMS.orders,
    key: number,
    occurredAt: time(item, 'updatedAt', at) as string,
    payload: {
      externalId: number,
      customerExternalId: text(item, 'customer', at),
      orderedAt: time(item, 'orderedAt', at),
      requiredAt: time(item, 'requiredAt', at, false),
      currency: text(item, 'currency', at, false),
      lines: lines.map((l, i) => ({
        sku: text(l, 'sku', `${at}.lines[${i}]`),
        quantity: Number(l.qty),
        unitPrice: Number(l.price),
      })),
    },
  };
}

/**
 * One page of the source's JSON into canonical records. A malformed item is a `permanent` error
 * naming it (`items[3].updatedAt`): the page is not half-applied.
 */
export function mapPage(stream: StreamName, items: unknown[]): CanonicalRecord[] {
  return items.map((raw, i) => {
    const at = `items[${i}]`;
    if (!raw || typeof raw !== 'object')
      throw new ConnectorError('permanent', `${at} is not an object`, { field: at });
    return stream === 'customers' ? customer(raw as Item, at) : order(raw as Item, at);
  });
}

export function isStream(name: string): name is StreamName {
  return Object.prototype.hasOwnProperty.call(STREAMS, name);
}

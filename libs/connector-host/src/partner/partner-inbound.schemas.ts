import { exportContractSchemas } from '@tradelane/contracts';

/** What a partner shares, each as a list of one canonical contract's payloads. */
export const PARTNER_INBOUND = {
  orders: { contract: 'order.upserted.v1', type: 'portal.order.upserted.v1', payload: 'OrderUpsertedV1' },
  'stock-reports': {
    contract: 'stock.level-changed.v1',
    type: 'portal.stock.level-changed.v1',
    payload: 'StockLevelChangedV1',
  },
  'shipment-events': {
    contract: 'delivery.status-changed.v1',
    type: 'portal.delivery.status-changed.v1',
    payload: 'DeliveryStatusChangedV1',
  },
} as const;
export type PartnerInboundKind = keyof typeof PARTNER_INBOUND;

/** Items one request may carry. */
export const MAX_ITEMS = 1000;

/** The fields the API fills in from the partner's customer (a partner names its customer by id). */
const CUSTOMER_FIELDS = ['customerExternalId', 'customerSource'];

type Schema = Record<string, unknown> & {
  properties?: Record<string, unknown>;
  required?: string[];
  definitions?: Record<string, Schema>;
};

const cache = new Map<PartnerInboundKind, Schema>();

/**
 * The body a partner posts for `kind`: `{ customerId?, items: [payload...] }`, each item the
 * published JSON Schema of the canonical contract (libs/contracts/schemas) without the customer
 * reference, which the API takes from the partner's customer. The same schema object validates the
 * request (ajv, so a refusal names each field as a JSON pointer) and documents it in OpenAPI.
 */
export function partnerBodySchema(kind: PartnerInboundKind): Schema {
  const known = cache.get(kind);
  if (known) return known;
  const spec = PARTNER_INBOUND[kind];
  const exported = exportContractSchemas().find((s) => s.fileName === `${spec.contract}.schema.json`);
  if (!exported) throw new Error(`no published schema for ${spec.contract}`);
  const definitions = structuredClone((exported.schema as Schema).definitions ?? {});
  const item = definitions[spec.payload];
  for (const f of CUSTOMER_FIELDS) delete item.properties?.[f];
  item.required = (item.required ?? []).filter((r) => !CUSTOMER_FIELDS.includes(r));
  item.additionalProperties = false;
  const schema: Schema = {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      customerId: {
        type: 'string',
        format: 'uuid',
        description: 'Which of your customers the items are for (needed when you are more than one)',
      },
      items: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_ITEMS,
        description: `1 to ${MAX_ITEMS} ${spec.contract} payloads (https://schemas.tradelane.dev/${spec.contract}.json), without the customer reference`,
        items: { $ref: `#/definitions/${spec.payload}` },
      },
    },
    definitions,
  };
  cache.set(kind, schema);
  return schema;
}

/** {@link partnerBodySchema} with its definitions inlined (OpenAPI documents have no `definitions`). */
export function partnerBodyDocSchema(kind: PartnerInboundKind): Record<string, unknown> {
  const { definitions, ...schema } = partnerBodySchema(kind);
  const inline = (node: unknown, depth: number): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, depth));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as { $ref?: string }).$ref;
    if (ref?.startsWith('#/definitions/') && depth < 8)
      return inline(definitions?.[ref.slice('#/definitions/'.length)], depth + 1);
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== '$schema')
        .map(([k, v]) => [k, inline(v, depth)]),
    );
  };
  return inline(schema, 0) as Record<string, unknown>;
}

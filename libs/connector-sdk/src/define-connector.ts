import { ContractMap, Envelope } from '@tradelane/contracts';
import { ClassConstructor } from 'class-transformer';
import semver from 'semver';
import { configFields } from './connector-config';
import { CONNECTOR_KINDS, ConnectorKind } from './connector-kinds';
import { ConnectorErrorKind } from './connector.error';
import type { EdiContext } from './edi-context';
import { OwedDocument, PARTNER_DOCUMENTS, PartnerDocumentType } from './partner-documents';
import { WebhookVerdict } from './standard-webhooks';

/** Version of this SDK; a connector's `compatibility` range must include it. */
export const SDK_VERSION = '1.0.0';

/** A stream the connector can pull, page by page, from a cursor. */
export interface PullStream {
  name: string;
  description: string;
  /** Canonical record types it yields, e.g. `order.upserted`, `delivery.status-changed`. */
  emits: string[];
}

/** An inbound channel the connector can accept pushed payloads on. */
export interface AcceptChannel {
  name: string;
  via: 'webhook' | 'file' | 'queue' | 'sftp';
  description: string;
  /** The partner signs what it sends: the runtime checks the signature before `accept`. */
  signed?: boolean;
  /**
   * `via: 'file'`: the config field holding the folder the runtime watches. Each file there becomes
   * one payload on this channel (kept as received, translated by `accept`, dead-lettered whole if it
   * cannot be), then moves to `<folder>/processed/`.
   */
  folderField?: string;
  /**
   * `via: 'sftp'`: the config field holding the SftpSettings of the partner's server; the host picks
   * files up there (see sftpPickup) with the secrets `sftpPassword` / `sftpPrivateKey`.
   */
  sftpField?: string;
}

export interface Capabilities {
  pull?: PullStream[];
  accept?: AcceptChannel[];
  /** CRM event types it can send back to the system, e.g. `crm.customer.updated.v1`. */
  send?: string[];
  /**
   * EDI documents it writes to trading partners that ask for them (`outboundDocuments` of a
   * trading partner sent through an instance of it): each document's event must be in `send`.
   */
  documents?: PartnerDocumentType[];
}

/**
 * The canonical record types a connector can emit: every inbound contract (`erp.order.upserted.v1`
 * → `order.upserted`), derived from the contract map, so a new contract is a new record type.
 */
export type CanonicalType = ContractMap extends infer M
  ? { [K in keyof M]: K extends `erp.${infer T}.v1` ? T : never }[keyof M]
  : never;

/** The payload a record of type `T` carries: its contract's class. */
export type CanonicalPayload<T extends CanonicalType> = ContractMap[`erp.${T}.v1`];

/**
 * A record in canonical form; the runtime wraps it in an envelope with the instance as source.
 * A union over the record types: a mapper that returns a payload of the wrong shape for its
 * `type` does not compile.
 */
export type CanonicalRecord<T extends CanonicalType = CanonicalType> = {
  [K in T]: {
    /** `<aggregate>.<event>`, e.g. `order.upserted`. */
    type: K;
    /** Business key (order number, customer number...). */
    key: string;
    /** Event time at the source (ISO 8601). */
    occurredAt: string;
    payload: CanonicalPayload<K>;
    /**
     * `accept` only: the connector read this record but cannot give it as its contract needs (a
     * file-import row with a cell that is not a date). The runtime keeps it in the dead-letter store
     * with the reason, and the payload's other records go on. `field` names where (`orders.csv row 17
     * column promised_date`).
     */
    rejected?: {
      reason: string;
      field: string;
      /**
       * The part of the payload the record came from (an EDI transaction set alone in its own
       * interchange): the runtime keeps that as the dead letter, on the same channel, instead of the
       * record, so a redrive after a fix translates it again through `accept`.
       */
      raw?: string;
    };
  };
}[T];

export interface PullPage {
  records: CanonicalRecord[];
  /** Where the next page starts; committed with the records of this page. */
  cursor: string | null;
  /** More pages are ready now (pull again at once rather than at the next poll). */
  hasMore: boolean;
}

/** A record of this instance: its id at the source and the source time of the version last read. */
export interface SourceRecordRef {
  externalId: string;
  sourceUpdatedAt: string;
}

export interface SendContext {
  customer?: {
    id: string;
    /** Unified fields: name, vatId, email, phone, street, city, postalCode, country. */
    fields: Record<string, string | null>;
    /** This instance's records of the customer (its ids in this system). */
    records: SourceRecordRef[];
  };
  /** crm.customer.merged.v1: this instance's records of the customer that was merged away. */
  mergedRecords?: SourceRecordRef[];
  /**
   * A person resolved a `conflict` by taking the CRM's value: write it even though the system's
   * record changed since the CRM read it (skip the optimistic-concurrency check).
   */
  force?: boolean;
  /**
   * crm.shipment|invoice|stock.changed.v1: the documents owed to the trading partners that send
   * through this instance and asked for one (each with the record as that partner may see it; none
   * when no partner may see it or nothing it is told about changed). Write every one
   * (writePartnerDocuments): a retried send numbers the same event and partner the same again.
   */
  documents?: OwedDocument[];
}

/** A record's key and event time at the source, for reconciliation. */
export interface SourceKey {
  key: string;
  occurredAt: string;
}

export interface CheckResult {
  ok: boolean;
  /** `ok`, or the kind of error that made the check fail. */
  code: 'ok' | ConnectorErrorKind;
  message: string;
}

export interface Discovery {
  streams: string[];
  /** Anything the system reports about itself (version, company names...), for the operator. */
  details?: Record<string, unknown>;
}

/** What the runtime gives a connector instance. */
export interface ConnectorContext {
  /**
   * The HTTP(S) agents every outbound call must use (with redirects off): each connection is
   * checked after DNS against TRADELANE_OUTBOUND_ALLOW, so no call reaches a private address.
   */
  outbound?: { httpAgent: import('node:http').Agent; httpsAgent: import('node:https').Agent };
  /** Connector instance, e.g. `erp-odoo:company-a`: the `source` of every message it produces. */
  instance: string;
  tenant: string;
  /** EDI connectors: the tenant's trading partners and control-number series (absent outside a host). */
  edi?: EdiContext;
  /** Logs go through here; secrets are never passed to it. */
  log: (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
}

/**
 * A running connector instance: spec / check / discover / read in the spirit of Airbyte. Every
 * provider failure is thrown as a ConnectorError.
 */
export interface ConnectorRuntime {
  check(): Promise<CheckResult>;
  discover(): Promise<Discovery>;
  pull?(stream: string, cursor: string | null): Promise<PullPage>;
  /** Keys of the stream's records changed since `since` (all when null): what reconciliation compares. */
  keys?(stream: string, since: string | null): Promise<SourceKey[]>;
  /** The records with these keys, as `pull` returns them: how reconciliation re-pulls what is missing. */
  fetch?(stream: string, keys: string[]): Promise<CanonicalRecord[]>;
  /**
   * Pushed or dropped payload → records. `headers` are the partner's (credentials removed) plus the
   * runtime's `x-received-at` (when it was taken; a file's modification time) and `x-file-name`;
   * `x-dry-run: true` on an import's dry run, when `accept` must write nothing anywhere;
   * `x-part-of: <message id>` when the payload is the `rejected.raw` part of an earlier one, redriven.
   */
  accept?(channel: string, body: Buffer, headers: Record<string, string>): Promise<CanonicalRecord[]>;
  /**
   * For `signed` accept channels: whether the partner signed this push (usually `verifyWebhook`:
   * id, timestamp and raw body signed together), with the delivery's id and signed time. The
   * runtime refuses a push whose id it has seen, and takes the signed time as its receipt time.
   */
  verifySignature?(channel: string, body: Buffer, headers: Record<string, string>): WebhookVerdict;
  /**
   * Sends a CRM event to the system. `context` carries what the event does not: for crm.customer.*
   * events the customer as the CRM holds it now and this instance's own records of it (with the
   * source time last read, for optimistic concurrency).
   */
  send?(event: Envelope, context: SendContext): Promise<void>;
  close?(): Promise<void>;
}

export interface ConnectorDefinition<C extends object = object> {
  /** Stable id, `<role>-<system>`: `erp-odoo`, `transport-dcsa`, `file-import`. */
  id: string;
  kind: ConnectorKind;
  /** The plugin's own version (semver). */
  version: string;
  /** SDK versions it works with (semver range, e.g. `^1`). */
  compatibility: string;
  description: string;
  /** class-validator class: the documented, validated configuration of one instance. */
  configSchema: ClassConstructor<C>;
  /** Configuration fields that are secrets: encrypted at rest, never logged or returned. */
  secrets: readonly string[];
  /**
   * Configuration fields holding folders the connector reads or writes (besides accept channels'
   * `folderField`, which count too): the runtime refuses any outside TRADELANE_FILE_ROOTS.
   */
  folders?: readonly string[];
  capabilities: Capabilities;
  /** Builds a runtime for one instance from its validated configuration (wiring only). */
  create(config: C, context: ConnectorContext): ConnectorRuntime;
}

const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/**
 * Declares a connector (STYLE.md rule 6). Checks the declaration once, at import time, so a plugin
 * with a malformed one never starts: id, semver version, a compatibility range that includes this
 * SDK, secrets that are fields of the schema, unique stream and channel names.
 */
export function defineConnector<C extends object>(
  def: ConnectorDefinition<C>,
): Readonly<ConnectorDefinition<C>> {
  const problems: string[] = [];
  if (!ID_PATTERN.test(def.id))
    problems.push(`id "${def.id}" must look like <kind>-<system> (lower case, dashes)`);
  if (!CONNECTOR_KINDS.includes(def.kind))
    problems.push(`kind "${def.kind}" must be one of ${CONNECTOR_KINDS.join(', ')}`);
  if (!semver.valid(def.version)) problems.push(`version "${def.version}" is not semver`);
  if (!semver.validRange(def.compatibility))
    problems.push(`compatibility "${def.compatibility}" is not a semver range`);
  else if (!semver.satisfies(SDK_VERSION, def.compatibility))
    problems.push(`compatibility "${def.compatibility}" does not include SDK ${SDK_VERSION}`);
  const fields = new Set(configFields(def.configSchema));
  for (const s of def.secrets)
    if (!fields.has(s)) problems.push(`secret "${s}" is not a validated field of ${def.configSchema.name}`);
  for (const f of folderFieldsOf(def))
    if (!fields.has(f))
      problems.push(`folder field "${f}" is not a validated field of ${def.configSchema.name}`);
  const names = [...(def.capabilities.pull ?? []), ...(def.capabilities.accept ?? [])].map((c) => c.name);
  for (const n of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    problems.push(`capability name "${n}" is used twice`);
  for (const d of def.capabilities.documents ?? []) {
    if (!(d in PARTNER_DOCUMENTS)) problems.push(`document "${d}" is not a partner document`);
    else if (!def.capabilities.send?.includes(PARTNER_DOCUMENTS[d].event))
      problems.push(`document ${d} needs ${PARTNER_DOCUMENTS[d].event} in capabilities.send`);
  }
  if (!def.capabilities.pull?.length && !def.capabilities.accept?.length && !def.capabilities.send?.length)
    problems.push('declares no capability (pull, accept or send)');
  if (problems.length) throw new Error(`connector ${def.id}: ${problems.join('; ')}`);
  return Object.freeze({ ...def, capabilities: Object.freeze({ ...def.capabilities }) });
}

/** Every configuration field that names a folder: declared `folders` and accept channels' `folderField`. */
export function folderFieldsOf(def: Pick<ConnectorDefinition, 'folders' | 'capabilities'>): string[] {
  return [
    ...new Set([
      ...(def.folders ?? []),
      ...(def.capabilities.accept ?? []).flatMap((c) => (c.folderField ? [c.folderField] : [])),
    ]),
  ];
}

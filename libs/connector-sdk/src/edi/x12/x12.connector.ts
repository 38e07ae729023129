import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { promises as fs } from 'node:fs';
import { ConnectorContext, ConnectorRuntime } from '../../define-connector';
import { checkDropFolder, verifySignedPush } from '../../drop-folder';
import type { TradingPartner } from '../../edi-context';
import { safeFilePath } from '../../safe-file-path';
import { partnersFrom, x12Inbound, X12Mapper } from './x12.inbound';

/** One trading partner in an X12 connector's configuration (its README documents the fields). */
export class X12PartnerConfig {
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;

  /** ISA05: the qualifier of the partner's interchange id (ZZ mutually defined, 01 DUNS, 02 SCAC, 12 phone…). */
  @Matches(/^[0-9A-Z]{2}$/, { message: 'qualifier must be the two-character ISA05 code, e.g. ZZ' })
  qualifier: string;

  /** ISA06: the partner's interchange sender id (compared without its padding, case-insensitive). */
  @IsString() @IsNotEmpty() @MaxLength(15) id: string;

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) customerExternalId?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) customerSource?: string;

  @IsOptional() @IsIn(['997', '999', 'none']) acknowledgement: '997' | '999' | 'none' = '997';
  @IsOptional() @IsIn(['warn', 'reject']) controlCounts: 'warn' | 'reject' = 'warn';

  @IsOptional()
  @IsTimeZone({ message: 'timeZone must be an IANA time zone, e.g. America/Chicago' })
  timeZone = 'UTC';

  /** Days from issue to due date of its invoices that state no terms (no ITD). */
  @IsOptional() @IsInt() @Min(0) @Max(365) paymentTermsDays = 30;

  /** Transaction sets agreed (ST01); empty: every one the connector reads. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{3}$/, { each: true, message: 'transactionSets are X12 set ids such as 214' })
  transactionSets: string[] = [];
}

/** A partner of the instance configuration as a trading partner (the host's registry comes first). */
export function configuredPartner(c: X12PartnerConfig): TradingPartner {
  return {
    id: `config:${c.qualifier}/${c.id}`,
    name: c.name,
    standard: 'x12',
    qualifier: c.qualifier,
    interchangeId: c.id,
    ...(c.customerExternalId ? { customerExternalId: c.customerExternalId } : {}),
    ...(c.customerSource ? { customerSource: c.customerSource } : {}),
    acknowledgement: c.acknowledgement,
    controlCounts: c.controlCounts,
    timeZone: c.timeZone,
    paymentTermsDays: c.paymentTermsDays,
    transactionSets: c.transactionSets,
  };
}

/** What every X12 connector instance is configured with: folders, our id, the trading partners. */
export class X12ConnectorConfig {
  /** Folder the partner's files arrive in (absolute); each is taken whole and moved to `processed/`. */
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'dropFolder must be an absolute path' })
  @MaxLength(500)
  dropFolder?: string;

  /** Folder our acknowledgements (and later outbound documents) are written to, whole then renamed. */
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'outboundFolder must be an absolute path' })
  @MaxLength(500)
  outboundFolder?: string;

  /** Our interchange id (ISA05/ISA06 of what we send, ISA07/ISA08 of what partners send us). */
  @IsOptional()
  @Matches(/^[0-9A-Z]{2}$/, { message: 'interchangeQualifier must be a two-character ISA qualifier' })
  interchangeQualifier = 'ZZ';

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(15) interchangeId = 'TRADELANE';

  /** The trading partners this instance takes interchanges from; an unknown sender is refused, kept. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => X12PartnerConfig)
  partners: X12PartnerConfig[] = [];

  /** Connector instance holding the orders the partners' documents refer to (PO numbers). */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) orderSource?: string;

  /** Standard Webhooks key of interchanges pushed over HTTP (secret); without it pushes are refused. */
  @IsOptional() @IsString() @MinLength(16) @MaxLength(500) webhookSecret?: string;
}

/** Writes a file into an outbound folder whole (a temporary name, then renamed): a pickup never sees half of it. */
export async function writeOutboundFile(folder: string, name: string, text: string): Promise<string> {
  const file = safeFilePath(folder, name);
  await writeWhole(file, text);
  return file;
}

async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file); // the partner's pickup never sees half a file
}

/**
 * The runtime of an X12 connector: drop folder and signed push in, the transaction sets through
 * `mappers`, one acknowledgement per functional group into `outboundFolder` (not on a dry run:
 * header `x-dry-run`).
 */
export function x12ConnectorRuntime(
  config: X12ConnectorConfig,
  context: Pick<ConnectorContext, 'log' | 'edi'>,
  mappers: Readonly<Record<string, X12Mapper>>,
): ConnectorRuntime {
  const configured = partnersFrom(config.partners.map(configuredPartner));
  const edi = context.edi;
  return {
    check: () => checkDropFolder(config.dropFolder),
    async discover() {
      return {
        streams: [],
        details: {
          transactionSets: Object.keys(mappers),
          configuredPartners: config.partners.map((p) => `${p.name} (${p.qualifier}/${p.id})`),
          dropFolder: config.dropFolder ?? null,
        },
      };
    },
    verifySignature: (_channel, body, headers) => verifySignedPush(config.webhookSecret, body, headers),
    async accept(_channel, body, headers) {
      const dryRun = headers['x-dry-run'] === 'true';
      const result = await x12Inbound(body, {
        mappers,
        // The tenant's registry first, then the partners of the instance configuration.
        partner: async (q, id) => (await edi?.partner('x12', q, id)) ?? configured(q, id),
        ...(edi && !dryRun ? { controlNumbers: edi.controlNumber } : {}),
        // A redriven part of an interchange is not the interchange again: it is not registered.
        ...(edi && !dryRun && !headers['x-part-of'] ? { received: edi.received } : {}),
        us: { qualifier: config.interchangeQualifier, id: config.interchangeId },
        ...(config.orderSource ? { orderSource: config.orderSource } : {}),
      });
      const file = headers['x-file-name'] ?? 'push';
      for (const n of result.notes) context.log('info', `${file}: ${n}`);
      if (config.outboundFolder && !dryRun)
        for (const a of result.acknowledgements)
          await writeOutboundFile(config.outboundFolder, a.name, a.text);
      return result.records;
    },
  };
}

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
import { CanonicalRecord, ConnectorContext, ConnectorRuntime } from '../define-connector';
import { checkDropFolder, verifySignedPush } from '../drop-folder';
import type { EdiContext, EdiStandard, TradingPartner } from '../edi-context';
import { safeFilePath } from '../safe-file-path';
import { SftpSettings } from '../sftp';
import { partnersFrom } from './x12/x12.inbound';

/** One trading partner in an EDI connector's configuration (its README documents the fields). */
export class EdiPartnerConfig {
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;

  /**
   * X12 ISA05 (two characters: ZZ mutually defined, 01 DUNS, 02 SCAC, 12 phone…) or EDIFACT UNB
   * 0007 (up to four, e.g. 14 for a GLN; '' when the partner sends none).
   */
  @IsOptional()
  @Matches(/^[0-9A-Z]{0,4}$/, { message: 'qualifier must be an ISA05 / UNB 0007 code, e.g. ZZ or 14' })
  qualifier = '';

  /** X12 ISA06 / EDIFACT UNB 0004: the partner's interchange sender id (padding ignored, case-insensitive). */
  @IsString() @IsNotEmpty() @MaxLength(35) id: string;

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) customerExternalId?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) customerSource?: string;

  /** X12: 997 (default), 999 or none; EDIFACT: CONTRL (any value but none) or none. */
  @IsOptional() @IsIn(['997', '999', 'CONTRL', 'none']) acknowledgement: '997' | '999' | 'CONTRL' | 'none' =
    '997';
  @IsOptional() @IsIn(['warn', 'reject']) controlCounts: 'warn' | 'reject' = 'warn';

  @IsOptional()
  @IsTimeZone({ message: 'timeZone must be an IANA time zone, e.g. America/Chicago' })
  timeZone = 'UTC';

  /** Days from issue to due date of its invoices that state no terms (no ITD). */
  @IsOptional() @IsInt() @Min(0) @Max(365) paymentTermsDays = 30;

  /** Transaction sets / messages agreed (ST01, UNH 0065); empty: every one the connector reads. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[0-9A-Z]{3,6}$/, { each: true, message: 'transactionSets are ids such as 214 or IFTSTA' })
  transactionSets: string[] = [];

  /** Versions agreed: X12 GS08 (004010, 005010…), EDIFACT UNH version and release (D96A…); empty: any. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[0-9A-Z:]{3,12}$/, { each: true, message: 'versions are ids such as 004010 or D96A' })
  versions: string[] = [];
}

/** A partner of the instance configuration as a trading partner (the host's registry comes first). */
export function configuredPartner(c: EdiPartnerConfig, standard: EdiStandard = 'x12'): TradingPartner {
  return {
    id: `config:${c.qualifier}/${c.id}`,
    name: c.name,
    standard,
    qualifier: c.qualifier,
    interchangeId: c.id,
    ...(c.customerExternalId ? { customerExternalId: c.customerExternalId } : {}),
    ...(c.customerSource ? { customerSource: c.customerSource } : {}),
    acknowledgement: c.acknowledgement,
    controlCounts: c.controlCounts,
    timeZone: c.timeZone,
    paymentTermsDays: c.paymentTermsDays,
    transactionSets: c.transactionSets,
    versions: c.versions.map((v) => v.replace(/:/g, '')),
  };
}

/** What every EDI connector instance is configured with: folders, our id, the trading partners. */
export class EdiConnectorConfig {
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

  /** Our interchange id: X12 ISA05/ISA06 (two-character qualifier), EDIFACT UNB S002 (qualifier may be ''). */
  @IsOptional()
  @Matches(/^[0-9A-Z]{0,4}$/, { message: 'interchangeQualifier must be an ISA05 / UNB 0007 code' })
  interchangeQualifier = 'ZZ';

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(35) interchangeId = 'TRADELANE';

  /** The trading partners this instance takes interchanges from; an unknown sender is refused, kept. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => EdiPartnerConfig)
  partners: EdiPartnerConfig[] = [];

  /** Connector instance holding the orders the partners' documents refer to (PO numbers). */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) orderSource?: string;

  /** Standard Webhooks key of interchanges pushed over HTTP (secret); without it pushes are refused. */
  @IsOptional() @IsString() @MinLength(16) @MaxLength(500) webhookSecret?: string;

  /** The partner's SFTP server: files picked up there, outboundFolder uploaded there. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SftpSettings)
  sftp?: SftpSettings;

  /** SFTP password (secret), or: */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) sftpPassword?: string;

  /** SFTP private key, OpenSSH or PEM text (secret). */
  @IsOptional() @IsString() @MinLength(64) @MaxLength(20_000) sftpPrivateKey?: string;
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

/** What an inbound path (x12Inbound, edifactInbound) gives back for one file. */
export interface EdiInboundResult {
  records: CanonicalRecord[];
  acknowledgements: { name: string; text: string }[];
  notes: string[];
}

/** What the runtime hands an inbound path: partner lookup, the register, control numbers, us. */
export interface EdiInboundOptions {
  partner: (qualifier: string, id: string) => Promise<TradingPartner | undefined>;
  received?: EdiContext['received'];
  controlNumbers?: EdiContext['controlNumber'];
  us: { qualifier: string; id: string };
  orderSource?: string;
  receivedAt?: string;
}

/**
 * The runtime of an EDI connector (X12 or EDIFACT): drop folder and signed push in, each file
 * through `inbound`, its acknowledgements into `outboundFolder` (not on a dry run: header
 * `x-dry-run`); trading partners from the tenant's registry first, then the configuration.
 */
export function ediConnectorRuntime<R extends EdiInboundResult>(
  standard: EdiStandard,
  config: EdiConnectorConfig,
  context: Pick<ConnectorContext, 'log' | 'edi'>,
  messages: readonly string[],
  inbound: (body: Buffer, o: EdiInboundOptions) => Promise<R>,
  /** Answers beyond the acknowledgements (a 990 to each 204), written into outboundFolder the same way. */
  respond?: (result: R, o: EdiInboundOptions) => Promise<{ name: string; text: string }[]>,
): ConnectorRuntime {
  const configured = partnersFrom(config.partners.map((p) => configuredPartner(p, standard)));
  const edi = context.edi;
  return {
    check: () => checkDropFolder(config.dropFolder),
    async discover() {
      return {
        streams: [],
        details: {
          [standard === 'x12' ? 'transactionSets' : 'messages']: messages,
          configuredPartners: config.partners.map((p) => `${p.name} (${p.qualifier}/${p.id})`),
          dropFolder: config.dropFolder ?? null,
        },
      };
    },
    verifySignature: (_channel, body, headers) => verifySignedPush(config.webhookSecret, body, headers),
    async accept(_channel, body, headers) {
      const dryRun = headers['x-dry-run'] === 'true';
      const options: EdiInboundOptions = {
        partner: async (q, id) => (await edi?.partner(standard, q, id)) ?? configured(q, id),
        ...(edi && !dryRun ? { controlNumbers: edi.controlNumber } : {}),
        // A redriven part of an interchange is not the interchange again: it is not registered.
        ...(edi && !dryRun && !headers['x-part-of'] ? { received: edi.received } : {}),
        us: { qualifier: config.interchangeQualifier, id: config.interchangeId },
        ...(config.orderSource ? { orderSource: config.orderSource } : {}),
        ...(headers['x-received-at'] ? { receivedAt: headers['x-received-at'] } : {}),
      };
      const result = await inbound(body, options);
      const answers = respond ? await respond(result, options) : [];
      const file = headers['x-file-name'] ?? 'push';
      for (const n of result.notes) context.log('info', `${file}: ${n}`);
      if (config.outboundFolder && !dryRun)
        for (const a of [...result.acknowledgements, ...answers])
          await writeOutboundFile(config.outboundFolder, a.name, a.text);
      return result.records;
    },
  };
}

import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

/** Configuration of one erp-sap-idoc instance (the plugin README documents it). */
export class ErpSapIdocConfig {
  /** Folder SAP's file port writes IDocs to (absolute); files move to `processed/` once taken. */
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'dropFolder must be an absolute path' })
  @MaxLength(500)
  dropFolder?: string;

  /** Character set of the files and pushes: utf8 (Unicode SAP systems) or latin1 (older ones). */
  @IsOptional()
  @IsIn(['utf8', 'latin1'])
  encoding: 'utf8' | 'latin1' = 'utf8';

  /** Folder SAP's inbound file port reads from (absolute): CRM customer changes are written there as DEBMAS. */
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'outboundFolder must be an absolute path' })
  @MaxLength(500)
  outboundFolder?: string;

  /** Our side of the partner profile: port and logical system written as the DEBMAS sender. */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  senderPort = 'TRADELANE';

  @IsOptional()
  @IsString()
  @MaxLength(10)
  senderPartner = 'TRADELANE';

  /** SAP's side: its port and logical system (receiver of the DEBMAS), and its client. */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  receiverPort?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10)
  receiverPartner?: string;

  @IsOptional()
  @Matches(/^\d{3}$/, { message: 'client must be three digits' })
  client?: string;

  /**
   * IANA zone of the SAP system (its user / system time zone): the local times IDocs carry without a
   * zone field (E2EDK03 dates, CREDAT/CRETIM, PODAT, deadlines with TZONE_* blank). TZONE_BEG /
   * TZONE_END win where a segment fills them.
   */
  @IsOptional()
  @IsTimeZone({ message: 'timeZone must be an IANA time zone, e.g. Europe/Berlin' })
  timeZone = 'UTC';

  /** Send the status of every IDoc received back to SAP as ALEAUD01 in outboundFolder (53 taken, 51 error). */
  @IsOptional()
  @IsBoolean()
  statusBack = false;

  /**
   * Key of the Standard Webhooks signature of IDocs pushed over HTTP (secret): id, timestamp and
   * body signed together. Without it, HTTP pushes are refused.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(500)
  webhookSecret?: string;
}

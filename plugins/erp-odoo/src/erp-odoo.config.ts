import {
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** Customer fields the CRM can write to res.partner. */
export const WRITABLE_FIELDS = ['name', 'vatId', 'email', 'phone', 'street', 'city', 'postalCode'] as const;

/** Configuration of one erp-odoo instance (the plugin README documents it). */
export class ErpOdooConfig {
  /** Base URL of the Odoo server (its JSON-RPC endpoint is `<url>/jsonrpc`). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  url: string;

  /** Odoo database name. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  database: string;

  /** Login of the integration user. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  login: string;

  /** API key of that user (Preferences → Account Security), or its password (secret). */
  @IsString()
  @MinLength(4)
  @MaxLength(500)
  apiKey: string;

  /** Customer fields Odoo is the master of: the CRM never writes them back (default name and VAT). */
  @IsOptional()
  @IsArray()
  @IsIn(WRITABLE_FIELDS, { each: true })
  ownedFields: string[] = ['name', 'vatId'];

  /** Records per page. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2000)
  pageSize = 200;

  /** Request timeout in milliseconds. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeoutMs = 30_000;
}

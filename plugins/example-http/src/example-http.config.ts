import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Configuration of one example-http instance (the plugin README documents it). */
export class ExampleHttpConfig {
  /** Base URL of the source system's REST API. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  baseUrl: string;

  /** Bearer token (secret: sealed at rest, never logged or returned). */
  @IsString()
  @MinLength(8)
  @MaxLength(500)
  apiToken: string;

  /** HMAC-SHA256 key the source signs its order webhooks with (secret). Without it, webhooks are refused. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(500)
  webhookSecret?: string;

  /** Records per page. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  pageSize = 100;

  /** Request timeout in milliseconds. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeoutMs = 10_000;
}

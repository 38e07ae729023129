import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Configuration of one erp-d365 instance (the plugin README documents it). */
export class ErpD365Config {
  /** Folder the DMF export job writes its XML files to (absolute); files move to `processed/` once taken. */
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'dropFolder must be an absolute path' })
  @MaxLength(500)
  dropFolder?: string;

  /** Key of the Standard Webhooks signature of XML pushed over HTTP (secret); without it, pushes are refused. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(500)
  webhookSecret?: string;
}

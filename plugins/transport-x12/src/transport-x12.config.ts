import { X12ConnectorConfig } from '@tradelane/connector-sdk/edi';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Configuration of one transport-x12 instance (the plugin README documents it): the X12 one and tenders. */
export class TransportX12Config extends X12ConnectorConfig {
  /** Our SCAC, when we are the carrier shippers tender loads to (the B101 of our 990s). */
  @IsOptional() @Matches(/^[A-Z]{2,4}$/, { message: 'scac must be a 2-4 letter SCAC' }) scac?: string;

  /** Answer every 204 received with a 990: `accept` (accepted when taken, declined with the reason when rejected), or `none`. */
  @IsOptional() @IsIn(['none', 'accept']) tenderResponses: 'none' | 'accept' = 'none';

  /** The carrier we tender CRM orders to (a 204 for each fulfilment request): its ISA qualifier and id, and its SCAC. */
  @IsOptional()
  @Matches(/^[0-9A-Z]{2}$/, { message: 'carrierQualifier must be a two-character ISA qualifier' })
  carrierQualifier = '02';

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(15) carrierId?: string;
  @IsOptional()
  @Matches(/^[A-Z]{2,4}$/, { message: 'carrierScac must be a 2-4 letter SCAC' })
  carrierScac?: string;
}

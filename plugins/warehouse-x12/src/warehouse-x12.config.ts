import { X12ConnectorConfig } from '@tradelane/connector-sdk/edi';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Configuration of one warehouse-x12 instance (the plugin README documents it): the X12 one and the warehouse. */
export class WarehouseX12Config extends X12ConnectorConfig {
  /** The warehouse's interchange id (ISA07/ISA08 of the 940s we send it); needed to send orders. */
  @IsOptional()
  @Matches(/^[0-9A-Z]{2}$/, { message: 'warehouseQualifier must be a two-character ISA qualifier' })
  warehouseQualifier = 'ZZ';

  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(15) warehouseId?: string;
}

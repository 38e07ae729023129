import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsEmail, IsString, IsUUID, ValidateNested } from 'class-validator';
import { CustomerIdentityV1 } from './customer.contract';

/**
 * `crm.person.erased.v1`: the CRM erased one person's data (a contact of customers, a portal user)
 * on request; sent only to the connector instances whose records held the person, so that the ERP
 * can erase or anonymise its copy. The e-mail is the one identifier the receiver can find the person by.
 */
export class PersonErasedV1 {
  @ApiProperty({ format: 'uuid', description: 'The erasure (its audit row names it)' })
  @IsUUID()
  erasureId: string;

  @ApiProperty({ example: 'maria.anders@alfreds.example', description: 'Whom to erase' })
  @IsEmail({ require_tld: false })
  email: string;

  @ApiProperty({
    type: [CustomerIdentityV1],
    description: 'The customer records (connector instance, id there) that named the person',
  })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomerIdentityV1)
  identities: CustomerIdentityV1[];

  @ApiProperty({
    type: [String],
    description: 'Connector instances to tell (those whose records held the person)',
  })
  @IsArray()
  @IsString({ each: true })
  toSources: string[];
}

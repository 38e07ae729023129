import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CustomerReferenceV1 } from './party.contract';

export const INTERACTION_CHANNELS = ['email', 'portal', 'call', 'meeting', 'status', 'note', 'edi'] as const;
export const INTERACTION_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;

/** `<context>.interaction.recorded.v1`: an entry for the customer's timeline (mail, portal message, call...). */
export class InteractionRecordedV1 extends CustomerReferenceV1 {
  @ApiProperty({ description: 'Id in the source (Message-ID, ticket no.)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  externalId: string;

  @ApiProperty({ enum: INTERACTION_CHANNELS })
  @IsIn(INTERACTION_CHANNELS)
  channel: (typeof INTERACTION_CHANNELS)[number];

  @ApiProperty({ enum: INTERACTION_DIRECTIONS })
  @IsIn(INTERACTION_DIRECTIONS)
  direction: (typeof INTERACTION_DIRECTIONS)[number];

  @ApiProperty({ example: 'Where is order 10643?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject: string;
  @ApiPropertyOptional({ description: 'Plain-text excerpt' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;
  @ApiPropertyOptional({ example: 'maria.anders@alfki.example' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  actor?: string;

  @ApiPropertyOptional({ description: 'Order, shipment or invoice the entry is about' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  relatedRef?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERACTION_DIRECTIONS } from '@tradelane/contracts';
import { IsDateString, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** What a person logs by hand; mail, portal and EDI entries come from their connectors. */
export const LOGGED_CHANNELS = ['call', 'meeting', 'note', 'email'] as const;

/** `POST /customers/:id/interactions`: a call, meeting or note on the customer's timeline. */
export class LogInteractionDto {
  @ApiProperty({ enum: LOGGED_CHANNELS, example: 'call' })
  @IsIn(LOGGED_CHANNELS)
  channel: (typeof LOGGED_CHANNELS)[number];

  @ApiPropertyOptional({
    enum: INTERACTION_DIRECTIONS,
    description: 'Default: internal for a note, outbound otherwise',
  })
  @IsOptional()
  @IsIn(INTERACTION_DIRECTIONS)
  direction?: (typeof INTERACTION_DIRECTIONS)[number];

  @ApiProperty({ example: 'Called about the late shipment of order 10643' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject: string;

  @ApiPropertyOptional({ description: 'What was said or agreed (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  summary?: string;

  @ApiPropertyOptional({ description: 'When it took place (default now; not in the future)' })
  @IsOptional()
  @IsDateString({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'Order, shipment or invoice number it is about' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  relatedRef?: string;
}

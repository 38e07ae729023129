import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChurnSignalDto {
  @ApiProperty({
    enum: ['order-volume', 'complaints', 'on-time-delivery', 'satisfaction', 'failed-shipment'],
    description: 'What moved: orders, complaints, on-time delivery, satisfaction, a failed shipment',
  })
  signal: string;
  @ApiProperty({ description: 'The numbers behind the signal, in words' }) reason: string;
}

export class ChurnWarningDto {
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty() name: string;
  @ApiProperty({
    type: [Number],
    description: 'Orders per month, oldest first; the last is the month evaluated',
  })
  monthly: number[];
  @ApiProperty({ description: 'Orders in the month evaluated' }) current: number;
  @ApiProperty({ description: 'Mean orders per month over the baseline months' }) baseline: number;
  @ApiProperty({ description: 'current / baseline' }) ratio: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'The same ratio a year earlier (seasonality)',
  })
  lastYearRatio: number | null;
  @ApiProperty({ description: 'At least one signal (always true in flagged)' }) flagged: boolean;
  @ApiProperty({ description: 'Every signal reason, joined' }) reason: string;
  @ApiProperty({ type: [ChurnSignalDto], description: 'Each signal with its numbers' })
  signals: ChurnSignalDto[];
}

export class ChurnReportDto {
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty({ description: 'Active customers evaluated' }) evaluated: number;
  @ApiProperty({ type: [ChurnWarningDto], description: 'Flagged customers, most signals first' })
  flagged: ChurnWarningDto[];
}

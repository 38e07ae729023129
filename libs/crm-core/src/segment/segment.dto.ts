import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** `GET /customers/:id/segment`: the class and stage as last classified, with the rule and its inputs. */
export class CustomerSegmentDto {
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty({ enum: ['A', 'B', 'C'], description: 'Pareto class by share of revenue' }) abc: string;
  @ApiProperty({ description: 'Revenue up to the classification' }) revenue: number;
  @ApiProperty({ description: 'Share of the tenant revenue (0-1)' }) share: number;
  @ApiProperty({ description: 'Cumulative share down to this customer (0-1)' }) cumulativeShare: number;
  @ApiProperty({ enum: ['trial', 'formation', 'stable', 'decline'] }) lifecycle: string;
  @ApiProperty({ description: 'Class A and in the top share by revenue' }) vip: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    enum: ['profitable', 'growth', 'low-profit-low-growth'],
    description: 'Profitability × growth (null without cost data)',
  })
  valueClass: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Revenue minus service cost, 12 months' })
  margin: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Customer lifetime value estimate' })
  clv: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'How to serve this value class' })
  servicePolicy: string | null;
  @ApiProperty({ description: 'The rule and numbers behind each class, in words' }) reason: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The inputs: revenue windows, cost of 12 months, order counts, cut-offs, rank',
  })
  inputs: Record<string, unknown>;
  @ApiProperty() classifiedAt: Date;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class OffsetPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 25;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

export class CustomerSearchQuery extends OffsetPageQuery {
  @ApiPropertyOptional({ description: 'Name (partial), external id, VAT id or e-mail' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Only customers from this connector instance' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;
}

export class CustomerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenant: string;
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) vatId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) street: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) city: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postalCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country: string | null;
  @ApiProperty({ description: 'Event time of the source version shown' }) sourceUpdatedAt: Date;
  @ApiProperty() revision: number;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() source: string;
  @ApiProperty() externalId: string;
  @ApiProperty() orderedAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) requiredAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) shippedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) carrier: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) currency: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Decimal as string' }) freight:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Decimal as string' }) totalAmount:
    string | null;
  @ApiProperty() lineCount: number;
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] }) items: CustomerDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items: OrderDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class CustomerViewDto {
  @ApiProperty() customer: CustomerDto;
  @ApiProperty({ description: 'Number of orders and their summed value' })
  orders: { count: number; totalAmount: string };
  @ApiProperty({ type: [OrderDto], description: 'Ten most recent orders' }) recentOrders: OrderDto[];
}

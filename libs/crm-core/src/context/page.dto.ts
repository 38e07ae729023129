import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `?limit=&offset=` of a list endpoint (1..200, default 25). */
export class OffsetPageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 25;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

/** A page of `item` (items, total, limit, offset) as a named OpenAPI schema. */
export const page = <T>(item: new () => T, name: string) => {
  class Page {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty() total: number;
    @ApiProperty() limit: number;
    @ApiProperty() offset: number;
  }
  Object.defineProperty(Page, 'name', { value: name });
  return Page;
};

/** `?tenant=` of an endpoint that reads or writes one tenant's settings (default 'default'). */
export class TenantQuery {
  @ApiPropertyOptional({ default: 'default' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tenant?: string;
}

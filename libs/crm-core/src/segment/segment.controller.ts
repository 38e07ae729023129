import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, UseFilters } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CustomerSegmentDto } from './segment.dto';
import { SegmentService } from './segment.service';

class CutoffsDto {
  @ApiProperty({ example: 0.8 }) @IsNumber() @Min(0.01) @Max(1) a: number;
  @ApiProperty({ example: 0.15 }) @IsNumber() @Min(0) @Max(1) b: number;
}

class CostEntryDto {
  @ApiProperty({ example: '2026-10' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month: string;
  @ApiProperty({ example: 12500.5 }) @IsNumber({ maxDecimalPlaces: 4 }) @Min(0) amount: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class CostsDto {
  @ApiProperty({ type: [CostEntryDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => CostEntryDto)
  entries: CostEntryDto[];
}

export class ClassifyDto {
  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;
  @ApiPropertyOptional({ description: 'Classify as of (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
  @ApiPropertyOptional({ default: 90, description: 'Order-trend window for the lifecycle stage' })
  @IsOptional()
  @IsInt()
  @Min(7)
  @Max(730)
  windowDays?: number;

  @ApiPropertyOptional({ type: CutoffsDto, description: 'Pareto cut-offs (default A 0.8, B 0.15)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CutoffsDto)
  cutoffs?: CutoffsDto;
}

@ApiTags('segmentation')
@Controller()
@UseFilters(AppErrorFilter)
export class SegmentController {
  constructor(private readonly segments: SegmentService) {}

  @Post('segments/classify')
  @Allow('segments:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Classify every active customer now: ABC by revenue share and lifecycle stage' })
  classify(@Body() body: ClassifyDto) {
    return this.segments.classify(body);
  }

  @Get('customers/:id/segment')
  @Allow('segments:read')
  @ApiOperation({ summary: "The customer's class and stage, with the rule and the inputs" })
  @ApiOkResponse({ type: CustomerSegmentDto })
  @ApiNotFoundResponse({ description: 'Not classified yet (POST /segments/classify)' })
  segment(@Param('id', ParseUUIDPipe) id: string): Promise<CustomerSegmentDto> {
    return this.segments.ofCustomer(id);
  }

  @Put('customers/:id/costs')
  @Allow('segments:write')
  @ApiOperation({
    summary: 'Record what serving the customer cost per month (margin and CLV use the last 12 months)',
  })
  costs(@Param('id', ParseUUIDPipe) id: string, @Body() body: CostsDto) {
    return this.segments.setCosts(id, body.entries);
  }
}

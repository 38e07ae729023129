import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { RESPONSE_KINDS, ResponseKind } from './satisfaction-response.entity';

export class ResponseInputDto {
  @ApiProperty({ example: 'survey-tool', description: 'Where the answer comes from' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  source: string;

  @ApiProperty({ description: 'Id of the answer there (a re-import updates instead of duplicating)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId: string;

  @ApiProperty({ example: 'supplier', description: 'Party the 3PL serves in this relationship' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  party: string;

  @ApiProperty({ example: 'logistics' }) @IsString() @IsNotEmpty() @MaxLength(100) department: string;

  @ApiProperty({ enum: RESPONSE_KINDS }) @IsIn(RESPONSE_KINDS) kind: ResponseKind;

  @ApiProperty({ description: 'The answer on its scale', example: 4 }) @IsNumber() value: number;

  @ApiPropertyOptional({ description: 'Scale minimum (defaults: csat 1, nps 0, review 1, complaint 0)' })
  @IsOptional()
  @IsNumber()
  scaleMin?: number;

  @ApiPropertyOptional({ description: 'Scale maximum (defaults: csat 5, nps 10, review 5, complaint 1)' })
  @IsOptional()
  @IsNumber()
  scaleMax?: number;

  @ApiProperty() @IsISO8601({ strict: true }) answeredAt: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class RecordResponsesDto {
  @ApiProperty({ type: [ResponseInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ResponseInputDto)
  responses: ResponseInputDto[];
}

export class WeightsDto {
  @ApiPropertyOptional({ description: 'Party → weight', example: { supplier: 5, retailer: 2 } })
  @IsOptional()
  @IsObject()
  parties?: Record<string, number>;

  @ApiPropertyOptional({
    description: 'Party → department → weight',
    example: { supplier: { logistics: 3 } },
  })
  @IsOptional()
  @IsObject()
  departments?: Record<string, Record<string, number>>;
}

export class PeriodQuery {
  @ApiPropertyOptional({ description: 'Answers from (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'Answers before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AnswerQuery extends PeriodQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) party?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) department?: string;
}

/** One answer behind the index, as recorded, with its score on 0–100. */
export class SatisfactionAnswerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Where the answer comes from' }) source: string;
  @ApiProperty({ description: 'Its id there' }) externalId: string;
  @ApiProperty({ description: 'Served party' }) party: string;
  @ApiProperty({ description: 'Department' }) department: string;
  @ApiProperty({ enum: RESPONSE_KINDS }) kind: ResponseKind;
  @ApiProperty({ description: 'The answer on its scale' }) value: number;
  @ApiProperty({ description: 'Scale minimum' }) scaleMin: number;
  @ApiProperty({ description: 'Scale maximum' }) scaleMax: number;
  @ApiProperty({ description: 'The answer on 0–100' }) score: number;
  @ApiProperty({ type: String, nullable: true, description: 'What the customer wrote' }) comment:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it was given' }) answeredAt: Date;
}

export class DepartmentScoreDto {
  @ApiProperty() department: string;
  @ApiProperty({ description: 'Normalised weight within the party' }) weight: number;
  @ApiProperty({ description: 'Mean answer, 0–100' }) score: number;
  @ApiProperty({ type: [String], description: 'The answers used (drill-down)' }) answers: string[];
}

export class PartyScoreDto {
  @ApiProperty() party: string;
  @ApiProperty({ description: 'Normalised weight' }) weight: number;
  @ApiProperty({ description: '0–100' }) score: number;
  @ApiProperty({ type: [DepartmentScoreDto] }) departments: DepartmentScoreDto[];
}

export class SatisfactionDto {
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '0–100; null without answers' }) index:
    number | null;
  @ApiProperty({ description: 'How the index is computed' }) formula: string;
  @ApiProperty({ type: [PartyScoreDto] }) parties: PartyScoreDto[];
  @ApiProperty({ description: 'Weights as configured (raw)' }) weights: WeightsDto;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { OffsetPageQuery, page } from '../../context/page.dto';

export class MergeRequestDto {
  @ApiProperty({ format: 'uuid', description: 'Customer to merge into the one in the path' })
  @IsUUID()
  customerId: string;

  @ApiPropertyOptional({ description: 'Why (kept with the merge)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ description: 'Who decides (user name)', default: 'api' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  actor?: string;
}

export class ActorDto {
  @ApiPropertyOptional({ description: 'Who decides (user name)', default: 'api' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  actor?: string;
}

export class ProposalQuery extends OffsetPageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'accepted', 'rejected', 'superseded'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'accepted', 'rejected', 'superseded'])
  status: 'pending' | 'accepted' | 'rejected' | 'superseded' = 'pending';

  @ApiPropertyOptional({ description: "The tenant (default: the caller's)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tenant?: string;
}

export class MergeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) survivorId: string;
  @ApiProperty({ format: 'uuid' }) mergedId: string;
  @ApiProperty({ enum: ['auto', 'proposal', 'manual'] }) kind: string;
  @ApiProperty({ description: 'Match scheme or manual' }) rule: string;
  @ApiPropertyOptional({ nullable: true, type: String }) evidence: string | null;
  @ApiProperty({ type: [String] }) movedRecordIds: string[];
  @ApiProperty() actor: string;
  @ApiProperty() mergedAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) unmergedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) unmergedBy: string | null;
}

export class MergePageDto extends page(MergeDto, 'MergePageDto') {}

export class ProposalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) customerA: string;
  @ApiProperty({ format: 'uuid' }) customerB: string;
  @ApiProperty({ description: 'name-postal, email-domain...' }) rule: string;
  @ApiProperty() evidence: string;
  @ApiProperty() status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) mergeId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedBy: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class ProposalPageDto extends page(ProposalDto, 'ProposalPageDto') {}

import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { UserPageQuery } from './access.dto';
import { PARTNER_KINDS, PartnerKind } from './partner.entity';
import { PartnerService } from './partner.service';
import { CurrentPrincipal, Principal } from './principal';

export class CreatePartnerDto {
  @ApiProperty({ example: 'Alfreds Futterkiste GmbH', description: 'Unique in the tenant' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: PARTNER_KINDS, isArray: true, description: 'The parts it plays' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PARTNER_KINDS.length)
  @IsIn(PARTNER_KINDS, { each: true })
  kinds?: PartnerKind[];

  @ApiPropertyOptional({ example: 'it@alfreds.example', description: 'Who hears about its integration' })
  @IsOptional()
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  contactEmail?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'The unified customers it is: its users and clients see the records these are a party to',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  customerIds?: string[];
}

export class UpdatePartnerDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    enum: PARTNER_KINDS,
    isArray: true,
    description: 'The parts it plays (replaces them)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PARTNER_KINDS.length)
  @IsIn(PARTNER_KINDS, { each: true })
  kinds?: PartnerKind[];

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  contactEmail?: string | null;

  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'disabled: its users and clients are refused from the next request on',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class PartnerCustomersDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'All the customers it is (replaces the list)' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  customerIds: string[];
}

/** A partner organisation as the API answers it. */
export class PartnerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenant: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PARTNER_KINDS, isArray: true, description: 'The parts it plays' })
  kinds: PartnerKind[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Who hears about its integration' })
  contactEmail: string | null;
  @ApiProperty({ enum: ['active', 'disabled'], description: 'disabled: its users and clients are refused' })
  status: 'active' | 'disabled';
  @ApiProperty({ type: [String], format: 'uuid', description: 'The unified customers it is' })
  customerIds: string[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class PartnerPageDto {
  @ApiProperty({ type: [PartnerDto] }) items: PartnerDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

/** Partner organisations of the tenant (admins). Their users, API keys and OAuth clients carry `partnerId`. */
@ApiTags('access')
@Controller('partners')
@UseFilters(AppErrorFilter)
export class PartnerController {
  constructor(private readonly partners: PartnerService) {}

  @Get()
  @Allow('users:admin')
  @ApiOperation({ summary: "The tenant's partner organisations with the customers each is" })
  @ApiOkResponse({ type: PartnerPageDto })
  list(@CurrentPrincipal() p: Principal, @Query() q: UserPageQuery) {
    return this.partners.list(p.tenant, q.limit ?? 50, q.offset ?? 0);
  }

  @Post()
  @Allow('users:admin')
  @ApiOperation({
    summary: 'Add a partner organisation (shipper, consignee, supplier, carrier) linked to its customers',
    description:
      'Then give it credentials: POST /users, /api-keys or /oauth-clients with its partnerId. They reach ' +
      'only the partner API (/partner/v1), and see only the records its customers are a party to.',
  })
  @ApiCreatedResponse({ type: PartnerDto })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreatePartnerDto) {
    return this.partners.create(p.tenant, body);
  }

  @Get(':id')
  @Allow('users:admin')
  @ApiOperation({ summary: 'One partner organisation' })
  @ApiOkResponse({ type: PartnerDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.partners.get(p.tenant, id);
  }

  @Patch(':id')
  @Allow('users:admin')
  @ApiOperation({ summary: 'Rename, change its kinds or contact, disable or enable it' })
  @ApiOkResponse({ type: PartnerDto })
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdatePartnerDto,
  ) {
    return this.partners.update(p.tenant, id, body);
  }

  @Put(':id/customers')
  @Allow('users:admin')
  @ApiOperation({ summary: 'Set the customers the partner is (what it sees follows at once)' })
  @ApiOkResponse({ type: PartnerDto })
  setCustomers(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PartnerCustomersDto,
  ) {
    return this.partners.setCustomers(p.tenant, id, body.customerIds);
  }
}

import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  UploadedFile,
  UseFilters,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  PartialType,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@tradelane/access';
import { CASE_TYPES, CaseType } from '@tradelane/contracts';
import { Allow, AppError, AppErrorFilter, ForPartners, runScoped } from '@tradelane/http';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { acceptAttachment, AcceptedAttachment, UploadedAttachment } from '../case/case-attachment.policy';
import { AttachmentDownload, AttachmentUpload, fileAnswer } from '../case/case-attachment.upload';
import { CaseOpeningService } from '../case/case-opening.service';
import { CaseWorkflowService } from '../case/case-workflow.service';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { fieldsOf } from './partner-view.controller';
import { PartnerCaseDetailDto } from './partner-view.dto';
import { PartnerViewRepository } from './partner-view.repository';

export class PartnerOpenCaseDto {
  @ApiProperty({ enum: CASE_TYPES, description: 'What the case is about (damage, delay, loss...)' })
  @IsIn(CASE_TYPES)
  type: CaseType;

  @ApiProperty({ description: 'One line', example: 'Two pallets arrived crushed' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;

  @ApiPropertyOptional({ description: 'What happened' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'One of its orders the case is about (the partner API id)',
  })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One of its shipments the case is about' })
  @IsOptional()
  @IsUUID()
  shipmentId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Which of its customers (needed when it is more than one)',
  })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}

export class PartnerCaseMessageDto {
  @ApiProperty({ description: 'The message (the service desk sees it on the case)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  body: string;
}

/** The text beside a partner's file upload (multipart/form-data): a message whose body may be left out. */
export class PartnerAttachmentFormDto extends PartialType(PartnerCaseMessageDto) {}

/**
 * A partner's cases, written: it opens one on one of its orders or shipments (the record must be
 * one it may see: another's answers 404) and adds messages and files to its cases. The case is opened for
 * the tenant by the CRM (SLA clocks, priority rules, the staff queue) as any other.
 */
@ApiTags('partner')
@Controller('partner/v1/cases')
@ForPartners()
@UseFilters(AppErrorFilter)
export class PartnerCasesController {
  constructor(
    private readonly view: PartnerViewRepository,
    private readonly opening: CaseOpeningService,
    private readonly workflow: CaseWorkflowService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Post()
  @Allow('cases:write')
  @ApiOperation({ summary: 'Open a case (a complaint) on one of its orders or shipments' })
  @ApiNotFoundResponse({ description: 'The order or shipment is not one of its' })
  async open(@CurrentPrincipal() p: Principal, @Body() dto: PartnerOpenCaseDto) {
    const mine = (await this.view.customers()) as { id: string }[];
    const customerId = dto.customerId ?? (mine.length === 1 ? mine[0].id : undefined);
    if (!customerId || !mine.some((c) => c.id === customerId))
      throw new AppError(
        'invalid',
        dto.customerId
          ? `customerId ${dto.customerId} is not one of its customers`
          : `customerId: it is ${mine.length} customers; name the one the case is for`,
      );
    const ref = { source: 'source', externalId: 'external_id' };
    const order = dto.orderId ? await this.view.get('orders', dto.orderId, ref) : undefined;
    const delivery = dto.shipmentId ? await this.view.get('shipments', dto.shipmentId, ref) : undefined;
    const opened = await runScoped(p.tenant, () =>
      this.opening.open({
        customerId,
        type: dto.type,
        subject: dto.subject,
        description: dto.description,
        order: order && { source: String(order.source), externalId: String(order.externalId) },
        delivery: delivery && { source: String(delivery.source), externalId: String(delivery.externalId) },
        author: `${p.name} (partner)`,
      }),
    );
    const id = (opened as { id: string }).id;
    return {
      ...(await this.view.get('cases', id, fieldsOf(p, 'cases'))),
      messages: await this.view.caseMessages(id),
    };
  }

  @Post(':id/messages')
  @Allow('cases:write')
  @ApiCreatedResponse({ type: PartnerCaseDetailDto })
  @ApiOperation({ summary: 'Add a message to one of its cases' })
  @ApiNotFoundResponse({ description: 'No such case, or not one of its' })
  async message(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PartnerCaseMessageDto,
  ) {
    await this.view.get('cases', id, { id: 'id' });
    return this.send(p, id, dto.body, []);
  }

  @Post(':id/attachments')
  @Allow('cases:write')
  @AttachmentUpload({ body: { description: 'A message the file goes with (default: "attached <name>")' } })
  @ApiCreatedResponse({ type: PartnerCaseDetailDto })
  @ApiOperation({
    summary: 'Attach a file to one of its cases: a photo of the damage, a proof of delivery, a claim form',
    description:
      'multipart/form-data with the field `file`. Refused with 415 (problem details naming the file) when its bytes are not an accepted type or do not match its name, 413 when too large.',
  })
  @ApiNotFoundResponse({ description: 'No such case, or not one of its' })
  async attach(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PartnerAttachmentFormDto,
    @UploadedFile() file: UploadedAttachment | undefined,
  ) {
    await this.view.get('cases', id, { id: 'id' });
    return this.send(p, id, dto.body ?? '', [acceptAttachment(file, this.config.caseAttachmentMaxBytes)]);
  }

  @Get(':id/attachments/:attachmentId')
  @Allow('cases:read')
  @AttachmentDownload()
  @ApiOperation({ summary: 'Download a file of one of its cases (never one of an internal note)' })
  @ApiNotFoundResponse({ description: 'No such file on one of its cases' })
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): unknown },
  ) {
    const file = await this.view.caseAttachment(id, attachmentId);
    if (!file) throw new AppError('not-found', `attachment ${attachmentId} not found on case ${id}`);
    return fileAnswer(file, res);
  }

  /** A message from the partner on one of its cases (the caller checked it sees it), and the case as it sees it now. */
  private async send(p: Principal, id: string, body: string, files: AcceptedAttachment[]) {
    await runScoped(p.tenant, () =>
      this.workflow.addMessage(
        id,
        { visibility: 'customer', direction: 'inbound', author: p.name, body },
        files,
      ),
    );
    return {
      ...(await this.view.get('cases', id, fieldsOf(p, 'cases'))),
      messages: await this.view.caseMessages(id),
    };
  }
}

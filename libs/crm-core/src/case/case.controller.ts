import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
  UploadedFile,
  UseFilters,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter, requestTenant } from '@tradelane/http';
import { TenantQuery } from '../context/page.dto';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { acceptAttachment, UploadedAttachment } from './case-attachment.policy';
import { AttachmentDownload, AttachmentUpload, fileAnswer } from './case-attachment.upload';
import { CaseOpeningService } from './case-opening.service';
import { CaseQueryService } from './case-query.service';
import { CaseWorkflowService } from './case-workflow.service';
import {
  ArticleDto,
  CaseAttachmentFormDto,
  CaseDetailDto,
  CaseListQuery,
  CaseMessageDto,
  CasePageDto,
  KbQuery,
  OpenCaseDto,
  TransitionDto,
  UpdateCaseDto,
} from './case.dto';
import { KnowledgeBaseService } from './knowledge-base.service';

@ApiTags('cases')
@Controller()
@UseFilters(AppErrorFilter)
export class CaseController {
  constructor(
    private readonly opening: CaseOpeningService,
    private readonly cases: CaseQueryService,
    private readonly workflow: CaseWorkflowService,
    private readonly kb: KnowledgeBaseService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  @Post('cases')
  @Allow('cases:write')
  @ApiCreatedResponse({ type: CaseDetailDto })
  @ApiOperation({
    summary: 'Open a complaint or service case',
    description:
      "Priority by rules (CRM_CASE_PRIORITY_RULES) unless given; first-response and resolution clocks from the customer's agreement, in business hours.",
  })
  open(@Body() body: OpenCaseDto) {
    return this.opening.open(body);
  }

  @Get('cases')
  @Allow('cases:read')
  @ApiOkResponse({ type: CasePageDto })
  @ApiOperation({
    summary: 'Cases, newest first: by customer (incl. as a party), status, type, assignee, escalation',
  })
  list(@Query() q: CaseListQuery) {
    return this.cases.list(q);
  }

  @Get('cases/:id')
  @Allow('cases:read')
  @ApiOkResponse({ type: CaseDetailDto })
  @ApiOperation({
    summary: 'A case with its clocks, parties, messages, SLA events and suggested resolutions',
  })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.cases.get(id);
  }

  @Patch('cases/:id')
  @Allow('cases:write')
  @ApiOkResponse({ type: CaseDetailDto })
  @ApiOperation({ summary: 'Assign, re-prioritise or re-type a case' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCaseDto) {
    return this.workflow.update(id, body);
  }

  @Post('cases/:id/transition')
  @Allow('cases:write')
  @ApiCreatedResponse({ type: CaseDetailDto })
  @ApiOperation({
    summary: 'Move a case through its workflow',
    description:
      'new → open ⇄ waiting_customer → resolved → closed; rejected; resolved/rejected → open reopens.',
  })
  transition(@Param('id', ParseUUIDPipe) id: string, @Body() body: TransitionDto) {
    return this.workflow.transition(id, body.to, body);
  }

  @Post('cases/:id/messages')
  @Allow('cases:write')
  @ApiCreatedResponse({ type: CaseDetailDto })
  @ApiOperation({
    summary:
      'Add an internal note or a customer-visible message (our first one stops the first-response clock)',
  })
  message(@Param('id', ParseUUIDPipe) id: string, @Body() body: CaseMessageDto) {
    return this.workflow.addMessage(id, body);
  }

  @Post('cases/:id/attachments')
  @Allow('cases:write')
  @AttachmentUpload({
    visibility: {
      description: 'internal or customer (who sees the message and its file)',
      enum: ['internal', 'customer'],
    },
    direction: {
      description: 'outbound (ours, the default) or inbound (from the customer)',
      enum: ['outbound', 'inbound'],
    },
    author: { description: 'Who sends it' },
    body: { description: 'The message the file goes with (default: "attached <name>")' },
  })
  @ApiCreatedResponse({ type: CaseDetailDto })
  @ApiOperation({
    summary: 'Attach a file to a case, with a message or a note (multipart/form-data)',
    description:
      'Refused with 415 when its bytes are not a type a case may carry or do not match its name, 413 when over CRM_CASE_ATTACHMENT_MAX_MB.',
  })
  attach(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CaseAttachmentFormDto,
    @UploadedFile() file: UploadedAttachment | undefined,
  ) {
    const accepted = acceptAttachment(file, this.config.caseAttachmentMaxBytes);
    return this.workflow.addMessage(id, { ...body, body: body.body ?? '' }, [accepted]);
  }

  @Get('cases/:id/attachments/:attachmentId')
  @Allow('cases:read')
  @AttachmentDownload()
  @ApiOperation({ summary: 'Download a file of a case' })
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Res({ passthrough: true }) res: { setHeader(name: string, value: string): unknown },
  ) {
    return fileAnswer(await this.cases.attachment(id, attachmentId), res);
  }

  @Get('knowledge-base')
  @Allow('cases:read')
  @ApiOperation({ summary: "Standard resolutions by case type (the tenant's own first)" })
  articles(@Query() q: KbQuery) {
    return this.kb.articles(requestTenant(q.tenant), q.type);
  }

  @Post('knowledge-base')
  @Allow('cases:write')
  @ApiOperation({ summary: 'Add a standard resolution for a case type' })
  addArticle(@Query() q: TenantQuery, @Body() body: ArticleDto) {
    return this.kb.addArticle(requestTenant(q.tenant), body);
  }
}

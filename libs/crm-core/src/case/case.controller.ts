import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppErrorFilter } from '@tradelane/http';
import { TenantQuery } from '../agreement/agreement.controller';
import {
  ArticleDto,
  CaseListQuery,
  CaseMessageDto,
  KbQuery,
  OpenCaseDto,
  TransitionDto,
  UpdateCaseDto,
} from './case.dto';
import { CaseService } from './case.service';

@ApiTags('cases')
@Controller()
@UseFilters(AppErrorFilter)
export class CaseController {
  constructor(private readonly cases: CaseService) {}

  @Post('cases')
  @ApiOperation({
    summary: 'Open a complaint or service case',
    description:
      "Priority by rules (CRM_CASE_PRIORITY_RULES) unless given; first-response and resolution clocks from the customer's agreement, in business hours.",
  })
  open(@Body() body: OpenCaseDto) {
    return this.cases.open(body);
  }

  @Get('cases')
  @ApiOperation({
    summary: 'Cases, newest first: by customer (incl. as a party), status, type, assignee, escalation',
  })
  list(@Query() q: CaseListQuery) {
    return this.cases.list(q);
  }

  @Get('cases/:id')
  @ApiOperation({
    summary: 'A case with its clocks, parties, messages, SLA events and suggested resolutions',
  })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.cases.get(id);
  }

  @Patch('cases/:id')
  @ApiOperation({ summary: 'Assign, re-prioritise or re-type a case' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCaseDto) {
    return this.cases.update(id, body);
  }

  @Post('cases/:id/transition')
  @ApiOperation({
    summary: 'Move a case through its workflow',
    description:
      'new → open ⇄ waiting_customer → resolved → closed; rejected; resolved/rejected → open reopens.',
  })
  transition(@Param('id', ParseUUIDPipe) id: string, @Body() body: TransitionDto) {
    return this.cases.transition(id, body.to, body);
  }

  @Post('cases/:id/messages')
  @ApiOperation({
    summary:
      'Add an internal note or a customer-visible message (our first one stops the first-response clock)',
  })
  message(@Param('id', ParseUUIDPipe) id: string, @Body() body: CaseMessageDto) {
    return this.cases.addMessage(id, body);
  }

  @Get('knowledge-base')
  @ApiOperation({ summary: "Standard resolutions by case type (the tenant's own first)" })
  articles(@Query() q: KbQuery) {
    return this.cases.articles(q.tenant ?? 'default', q.type);
  }

  @Post('knowledge-base')
  @ApiOperation({ summary: 'Add a standard resolution for a case type' })
  addArticle(@Query() q: TenantQuery, @Body() body: ArticleDto) {
    return this.cases.addArticle(q.tenant ?? 'default', body);
  }
}

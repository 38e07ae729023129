import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '@tradelane/http';
import {
  DeadLetterPageDto,
  DeadLetterQueryDto,
  LedgerPageDto,
  LedgerQueryDto,
  RedriveRequestDto,
  RedriveResultDto,
} from './ops.dto';
import { OpsService } from './ops.service';

@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(private readonly ops: OpsService) {}

  @Get('ledger')
  @Allow('dead-letters:read')
  @ApiOperation({ summary: 'Message ledger: what happened to each message, newest first' })
  @ApiOkResponse({ type: LedgerPageDto })
  ledger(@Query() q: LedgerQueryDto): Promise<LedgerPageDto> {
    return this.ops.ledgerPage(q);
  }

  @Get('dead-letters')
  @Allow('dead-letters:read')
  @ApiOperation({ summary: 'Dead-letter store: messages given up on, with the reason' })
  @ApiOkResponse({ type: DeadLetterPageDto })
  deadLetters(@Query() q: DeadLetterQueryDto): Promise<DeadLetterPageDto> {
    return this.ops.deadLetterPage(q);
  }

  @Post('dead-letters/redrive')
  @Allow('dead-letters:redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send dead letters back to their consumer, by message id, type or business key' })
  @ApiOkResponse({ type: RedriveResultDto })
  redrive(@Body() req: RedriveRequestDto): Promise<RedriveResultDto> {
    return this.ops.redrive(req);
  }
}

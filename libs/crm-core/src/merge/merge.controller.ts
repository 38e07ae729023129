import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AppErrorFilter } from '@tradelane/http';
import { TransactionRunner } from '../context/transaction.runner';
import { ActorDto, MergeDto, ProposalDto, ProposalPageDto, ProposalQuery } from './merge.dto';
import { MergeService } from './merge.service';

@ApiTags('identity resolution')
@Controller()
@UseFilters(AppErrorFilter)
export class MergeController {
  constructor(
    private readonly merges: MergeService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get('merge-proposals')
  @ApiOperation({ summary: 'Merge proposals from weak identifiers (name + postal code, e-mail domain)' })
  @ApiOkResponse({ type: ProposalPageDto })
  async proposals(@Query() q: ProposalQuery): Promise<ProposalPageDto> {
    const [items, total] = await this.merges.listProposals(q.tenant, q.status, q.limit, q.offset);
    return { items, total, limit: q.limit, offset: q.offset };
  }

  @Post('merge-proposals/:id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept: merge the pair (the older customer survives)' })
  @ApiOkResponse({ type: ProposalDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already decided' })
  accept(@Param('id', ParseUUIDPipe) id: string, @Body() body: ActorDto): Promise<ProposalDto> {
    return this.tx.run((uow) => this.merges.decide(uow, id, true, body.actor ?? 'api'));
  }

  @Post('merge-proposals/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject: keep the pair apart' })
  @ApiOkResponse({ type: ProposalDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already decided' })
  reject(@Param('id', ParseUUIDPipe) id: string, @Body() body: ActorDto): Promise<ProposalDto> {
    return this.tx.run((uow) => this.merges.decide(uow, id, false, body.actor ?? 'api'));
  }

  @Post('merges/:id/unmerge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo a merge',
    description:
      'Exactly the records the merge moved go back, with every order, delivery, invoice and interaction naming them. ' +
      'Automatic matching will not merge the pair again.',
  })
  @ApiOkResponse({ type: MergeDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already undone, or a later merge must be undone first' })
  unmerge(@Param('id', ParseUUIDPipe) id: string, @Body() body: ActorDto): Promise<MergeDto> {
    return this.tx.run((uow) => this.merges.unmerge(uow, id, body.actor ?? 'api'));
  }
}

import { BadRequestException, Injectable } from '@nestjs/common';
import { scopedTenant } from '@tradelane/http';
import { DeadLetter, DeadLetterRepository, LedgerRepository } from '@tradelane/persistence';
import { RedriveSelectorError, RedriveService } from '../dead-letter/redrive.service';
import {
  DeadLetterDto,
  DeadLetterPageDto,
  DeadLetterQueryDto,
  LedgerPageDto,
  LedgerQueryDto,
  RedriveRequestDto,
  RedriveResultDto,
} from './ops.dto';

/** Read and repair the message pipeline: ledger, dead letters, redrive (API and CLI share it). */
@Injectable()
export class OpsService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly redriver: RedriveService,
  ) {}

  async ledgerPage(q: LedgerQueryDto): Promise<LedgerPageDto> {
    const items = await this.ledger.find({ ...q, tenant: scopedTenant() });
    return { items, nextCursor: items.length === q.limit ? items[items.length - 1].seq : null };
  }

  async deadLetterPage(q: DeadLetterQueryDto): Promise<DeadLetterPageDto> {
    const rows = await this.deadLetters.list({ ...q, tenant: scopedTenant() });
    return { items: rows.map(toDto), nextCursor: rows.length === q.limit ? rows[rows.length - 1].id : null };
  }

  async redrive(req: RedriveRequestDto): Promise<RedriveResultDto> {
    try {
      const { redriven } = await this.redriver.redrive(
        {
          messageId: req.messageId,
          type: req.type,
          key: req.key,
          source: req.source,
          tenant: scopedTenant(),
        },
        req.limit,
      );
      return { count: redriven.length, messageIds: redriven.map((r) => r.messageId) };
    } catch (err) {
      if (err instanceof RedriveSelectorError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}

function toDto(d: DeadLetter): DeadLetterDto {
  return {
    id: d.id,
    messageId: d.messageId,
    consumer: d.consumer,
    type: d.type,
    key: d.key,
    source: d.source,
    errorCode: d.errorCode,
    errorMessage: d.errorMessage,
    errorField: d.errorField,
    attempts: d.attempts,
    status: d.status,
    deadLetteredAt: d.deadLetteredAt,
    redrivenAt: d.redrivenAt,
    redriveCount: d.redriveCount,
    body: d.body.toString('utf8'),
    bodyBase64: d.body.toString('base64'),
  };
}

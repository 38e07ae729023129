import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ContractDefinition, Envelope } from '@tradelane/contracts';
import { BusContext, PermanentError, TransientError } from '@tradelane/messaging';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';

/** `test.probe.recorded.v1`: a test-only contract whose handler fails on command. */
export class ProbeV1 {
  @IsString() probeId: string;
  @IsOptional() @IsInt() @Min(0) value?: number;
}

export const PROBE_CONTRACT: ContractDefinition = {
  name: 'probe.recorded',
  version: 1,
  contexts: ['test'],
  payload: ProbeV1,
  description: 'Test probe',
};

export const PROBE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS test_probe (
  probe_id text NOT NULL, message_id uuid NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`;

/** How the probe handler behaves per probe id: fail N times transiently, or permanently until fixed. */
export const probeBehaviour = {
  transientFailures: new Map<string, number>(),
  permanent: new Set<string>(),
  reset() {
    this.transientFailures.clear();
    this.permanent.clear();
  },
};

@Controller()
export class ProbeHandler {
  @EventPattern<string>('test.probe.recorded.v1')
  async recorded(@Payload() e: Envelope<ProbeV1>, @Ctx() ctx: BusContext): Promise<void> {
    // The effect is written first: a failure below must roll it back.
    await ctx.tx.query('INSERT INTO test_probe (probe_id, message_id, attempt) VALUES ($1, $2, $3)', [
      e.payload.probeId,
      e.id,
      ctx.attempt,
    ]);
    if (probeBehaviour.permanent.has(e.payload.probeId))
      throw new PermanentError(`probe ${e.payload.probeId} refused`, 'PROBE_REFUSED', 'payload.probeId');
    const left = probeBehaviour.transientFailures.get(e.payload.probeId) ?? 0;
    if (left > 0) {
      probeBehaviour.transientFailures.set(e.payload.probeId, left - 1);
      throw new TransientError(`probe ${e.payload.probeId} busy`, 'PROBE_BUSY');
    }
  }
}

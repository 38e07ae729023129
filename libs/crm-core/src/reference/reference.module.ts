import { Module } from '@nestjs/common';
import { ReferenceSweepJob } from './reference-sweep.job';
import { ReferenceRepository } from './reference.repository';
import { ReferenceService } from './reference.service';

/** References to parents that have not arrived yet (kept, linked on arrival, dead-lettered after the grace period). */
@Module({
  providers: [ReferenceRepository, ReferenceService, ReferenceSweepJob],
  exports: [ReferenceService],
})
export class ReferenceModule {}

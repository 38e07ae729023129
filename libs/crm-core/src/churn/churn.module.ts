import { Module } from '@nestjs/common';
import { ChurnController } from './churn.controller';
import { ChurnRepository } from './churn.repository';
import { ChurnService } from './churn.service';

/** Churn early warnings with their numbers. */
@Module({
  controllers: [ChurnController],
  providers: [ChurnRepository, ChurnService],
})
export class ChurnModule {}

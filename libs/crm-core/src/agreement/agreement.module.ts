import { Module } from '@nestjs/common';
import { CustomerModule } from '../customer/customer.module';
import { AgreementController } from './agreement.controller';
import { AgreementRepository } from './agreement.repository';
import { AgreementService } from './agreement.service';

/** Service agreements per tier and customer: KPI targets, SLA terms, business calendar. */
@Module({
  imports: [CustomerModule],
  controllers: [AgreementController],
  providers: [AgreementRepository, AgreementService],
  exports: [AgreementService],
})
export class AgreementModule {}

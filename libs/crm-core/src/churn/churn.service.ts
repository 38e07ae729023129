import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { ChurnRepository } from './churn.repository';
import { churnSignal, DEFAULT_CHURN_OPTIONS, ServiceSignalInput, serviceSignals, Signal } from './churn.util';

const NO_SERVICE_INPUT: ServiceSignalInput = {
  complaints: 0,
  complaintBaseline: [],
  onTime: null,
  onTimeBaseline: null,
  satisfaction: null,
  satisfactionBaseline: null,
  failedShipments: [],
};
const SERVICE_BASELINE_MONTHS = 6;

const MONTHS = 1 + 12 + DEFAULT_CHURN_OPTIONS.baselineMonths; // this month, a year back, and that year's baseline

/** Churn early warning over every active customer of a tenant, for one month, with the reasons. */
@Injectable()
export class ChurnService {
  constructor(private readonly churn: ChurnRepository) {}

  /** `customerId`: only that customer's warning, if any (`evaluated` still counts the tenant's customers). */
  async warnings(tenant: string, month: string, customerId?: string) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new AppError('invalid', `month "${month}" must be YYYY-MM`);
    const rows = await this.churn.orderVolume(tenant, month, MONTHS);
    const service = await this.serviceInputs(tenant, month);
    const flagged = rows
      .map((r) => {
        const volume = churnSignal(r.monthly);
        const signals: Signal[] = [
          ...(volume.flagged ? [{ signal: 'order-volume' as const, reason: volume.reason }] : []),
          ...serviceSignals(service.get(r.customer_id) ?? NO_SERVICE_INPUT),
        ];
        return {
          customerId: r.customer_id,
          name: r.name,
          monthly: r.monthly,
          ...volume,
          flagged: signals.length > 0,
          reason: signals.map((x) => x.reason).join('; '),
          signals,
        };
      })
      .filter((r) => r.flagged && (!customerId || r.customerId === customerId))
      .sort(
        (a, b) => b.signals.length - a.signals.length || a.ratio - b.ratio || a.name.localeCompare(b.name),
      );
    return { month, evaluated: rows.length, flagged };
  }

  /**
   * Per customer, for the month and the baseline months before it: complaint cases (as payer),
   * on-time delivery (KPI values), satisfaction answers, and failed shipments it was a party of
   * on any side (shipper, consignee...), not only the payer.
   */
  private async serviceInputs(tenant: string, month: string): Promise<Map<string, ServiceSignalInput>> {
    const { complaints, onTime, satisfaction, failed } = await this.churn.serviceInputs(
      tenant,
      month,
      SERVICE_BASELINE_MONTHS,
    );
    const out = new Map<string, ServiceSignalInput>();
    const of = (id: string) => {
      let v = out.get(id);
      if (!v) out.set(id, (v = structuredClone(NO_SERVICE_INPUT)));
      return v;
    };
    for (const c of complaints) {
      of(c.customer_id).complaints = c.months[c.months.length - 1];
      of(c.customer_id).complaintBaseline = c.months.slice(0, -1);
    }
    for (const k of onTime) Object.assign(of(k.customer_id), { onTime: k.now, onTimeBaseline: k.before });
    for (const x of satisfaction)
      Object.assign(of(x.customer_id), { satisfaction: x.now, satisfactionBaseline: x.before });
    for (const f of failed)
      of(f.customer_id).failedShipments.push({
        case: `C-${String(f.number).padStart(6, '0')}`,
        type: f.type,
        role: f.role,
        shipment: f.shipment,
      });
    return out;
  }
}

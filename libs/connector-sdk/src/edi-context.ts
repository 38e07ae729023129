/**
 * What the host keeps for EDI connectors (STYLE.md rule 7: plugins reach state only through the
 * runtime): the tenant's trading partners, the control-number series of what we send, and the
 * register of interchanges received (duplicates and gaps).
 */
export type EdiStandard = 'x12' | 'edifact';

/** One trading partner as agreed: who it is, which unified customer, which acknowledgements. */
export interface TradingPartner {
  id: string;
  name: string;
  standard: EdiStandard;
  /** X12 ISA05 / EDIFACT UNB partner identification code qualifier (may be empty for EDIFACT). */
  qualifier: string;
  /** X12 ISA06 / EDIFACT UNB sender identification. */
  interchangeId: string;
  /** The unified customer (or carrier) the partner is, by its id in `customerSource` or the instance. */
  customerExternalId?: string;
  customerSource?: string;
  /** X12: 997, 999 or none; EDIFACT: CONTRL or none. */
  acknowledgement: '997' | '999' | 'CONTRL' | 'none';
  /** Control counts that disagree: accept with a warning or reject. */
  controlCounts: 'warn' | 'reject';
  /** IANA zone of the local times the partner sends. */
  timeZone: string;
  /** Days to the due date of its invoices that state no terms. */
  paymentTermsDays: number;
  /** Transaction sets / messages agreed (ST01 / UNH 0065); empty: every one the connector reads. */
  transactionSets: string[];
  /** Versions agreed: X12 GS08 (004010, 005010…), EDIFACT UNH version and release (D96A…); empty: any. */
  versions: string[];
}

/** What the register says about an interchange just received. */
export interface InterchangeSeen {
  /** `no`: first time; `same`: received before with the same content; `different`: the control number was used for other content. */
  duplicate: 'no' | 'same' | 'different';
  /** When it was first received, for a duplicate. */
  firstReceivedAt?: string;
  /** The partner's highest control number received before this one (gap detection). */
  previousControl?: string;
}

export interface EdiContext {
  partner(
    standard: EdiStandard,
    qualifier: string,
    interchangeId: string,
  ): Promise<TradingPartner | undefined>;
  /**
   * The next number of a series (`x12:<partner>:ISA`, `…:GS`, `…:ST`), committed before it is used:
   * never given twice, across restarts and crashes. The same `key` gets the same number again (an
   * acknowledgement written again, a send retried).
   */
  controlNumber(series: string, key: string): Promise<number>;
  /** Registers an interchange received from a partner (by its control number and a hash of its content). */
  received(partnerId: string, control: string, contentHash: string): Promise<InterchangeSeen>;
}

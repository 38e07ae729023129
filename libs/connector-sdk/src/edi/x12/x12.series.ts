import type { EdiContext } from '../../edi-context';
import { X12Party } from './x12.envelope';
import { writeX12, X12SetOut } from './x12.writer';

/**
 * ISA13, GS06 and ST02 of what we send, from the series `<series>:ISA` / `:GS` / `:ST` (the host's,
 * committed before use; or derived outside a host), keyed by `key`: the same key gets the same
 * numbers again (an acknowledgement written again, a send retried).
 */
export async function x12ControlNumbersFor(
  numbers: EdiContext['controlNumber'],
  series: string,
  key: string,
): Promise<[number, number, number]> {
  return [
    await numbers(`${series}:ISA`, key),
    await numbers(`${series}:GS`, key),
    await numbers(`${series}:ST`, key),
  ];
}

/** One interchange of one set from `us` to `to`, numbered from the series for `to` (`x12:<qualifier>/<id>`). */
export async function seriesInterchange(
  numbers: EdiContext['controlNumber'],
  o: { us: X12Party; to: X12Party; functionalId: string; key: string; at: Date },
  set: Omit<X12SetOut, 'control'>,
): Promise<{ isa: number; text: string }> {
  const [isa, gs, st] = await x12ControlNumbersFor(numbers, `x12:${o.to.qualifier}/${o.to.id}`, o.key);
  const text = writeX12(
    {
      sender: o.us,
      receiver: o.to,
      interchangeControl: isa,
      groupControl: gs,
      functionalId: o.functionalId,
      version: '004010',
      at: o.at,
    },
    [{ ...set, control: String(st).padStart(4, '0') }],
  );
  return { isa, text };
}

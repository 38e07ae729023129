import { X12Group, X12Problem, X12TransactionSet } from './x12.envelope';
import { X12SetOut } from './x12.writer';

/** A received transaction set and everything found wrong with it (envelope, elements, mapping). */
export interface X12SetVerdict {
  set: X12TransactionSet;
  problems: X12Problem[];
}

export type X12AckStatus = 'A' | 'E' | 'R';

/** A: nothing wrong; E: accepted, errors noted (warnings only); R: rejected (an error). */
export function statusOf(problems: readonly X12Problem[]): X12AckStatus {
  if (problems.some((p) => p.severity === 'error')) return 'R';
  return problems.length ? 'E' : 'A';
}

/** Up to five distinct codes, in order (AK502–AK506, AK905–AK909). */
function codes(list: string[]): string[] {
  return [...new Set(list)].slice(0, 5);
}

/**
 * The 997 (or 999) answering one functional group: AK1, per transaction set AK2 / AK3 (segment:
 * tag, position, code) / AK4 (element position, code, the bad value) / AK5, then AK9 with the
 * counts. A 999 writes IK3 / IK4 / IK5 instead of AK3 / AK4 / AK5 (X12 5010 X231).
 */
export function acknowledgement(
  kind: '997' | '999',
  group: X12Group,
  verdicts: readonly X12SetVerdict[],
  control: string,
): { set: X12SetOut; status: 'A' | 'E' | 'P' | 'R' } {
  const [seg3, seg4, seg5] = kind === '999' ? ['IK3', 'IK4', 'IK5'] : ['AK3', 'AK4', 'AK5'];
  const five = group.version >= '005';
  const segments: string[][] = [['AK1', group.functionalId, group.control, ...(five ? [group.version] : [])]];
  let accepted = 0;
  for (const { set, problems } of verdicts) {
    segments.push([
      'AK2',
      set.type,
      set.control,
      ...(five && set.implementation ? [set.implementation] : []),
    ]);
    const bySegment = new Map<number, X12Problem[]>();
    for (const p of problems)
      if (p.segment) bySegment.set(p.segment.position, [...(bySegment.get(p.segment.position) ?? []), p]);
    for (const [position, list] of [...bySegment.entries()].sort((a, b) => a[0] - b[0])) {
      const segLevel = list.find((p) => p.level === 'segment');
      segments.push([seg3, list[0].segment?.tag ?? '', String(position), '', segLevel?.code ?? '8']);
      for (const p of list.filter((q) => q.level === 'element' && q.element))
        segments.push([
          seg4,
          p.element?.component ? `${p.element.position}:${p.element.component}` : String(p.element?.position),
          '',
          p.code,
          (p.element?.value ?? '').replace(/[*~^>:|]/g, ' '),
        ]);
    }
    const status = statusOf(problems);
    if (status !== 'R') accepted++;
    const setCodes = problems.filter((p) => p.level === 'set').map((p) => p.code);
    if (problems.some((p) => p.segment)) setCodes.push('5');
    segments.push([seg5, status, ...codes(setCodes)]);
  }
  const groupProblems = group.problems;
  const received = verdicts.length;
  const groupStatus =
    groupProblems.some((p) => p.severity === 'error') || (received > 0 && accepted === 0)
      ? 'R'
      : accepted < received
        ? 'P'
        : groupProblems.length || verdicts.some((v) => statusOf(v.problems) === 'E')
          ? 'E'
          : 'A';
  segments.push([
    'AK9',
    groupStatus,
    String(received),
    String(received),
    String(groupStatus === 'R' ? 0 : accepted),
    ...codes(groupProblems.map((p) => p.code)),
  ]);
  return {
    set: { type: kind, control, ...(kind === '999' ? { implementation: '005010X231A1' } : {}), segments },
    status: groupStatus,
  };
}

import { parsePriorityRules, priorityOf, TRANSITIONS } from './case.util';

describe('case priority rules', () => {
  it.each([
    [{ type: 'loss', abc: null, vip: false }, 'urgent', /rule 1/],
    [{ type: 'service_request', abc: null, vip: true }, 'urgent', /rule 2/],
    [{ type: 'damage', abc: 'A', vip: false }, 'urgent', /rule 3/],
    [{ type: 'damage', abc: 'B', vip: false }, 'high', /rule 4/],
    [{ type: 'invoice_dispute', abc: 'A', vip: false }, 'high', /rule 5/],
    [{ type: 'return', abc: 'C', vip: false }, 'normal', /no rule matched/],
  ] as const)('%j → %s', (input, priority, reason) => {
    const r = priorityOf({ ...input, origin: 'api' });
    expect(r.priority).toBe(priority);
    expect(r.reason).toMatch(reason);
  });

  it('reads rules from CRM_CASE_PRIORITY_RULES and names what is wrong', () => {
    const rules = parsePriorityRules('[{"when":{"type":["return"]},"priority":"low"}]');
    expect(priorityOf({ type: 'return', abc: null, vip: false, origin: 'api' }, rules).priority).toBe('low');
    expect(parsePriorityRules('')).toHaveLength(6);
    expect(() => parsePriorityRules('{')).toThrow(/not JSON/);
    expect(() => parsePriorityRules('[{"when":{},"priority":"asap"}]')).toThrow(/\[0\].*priority/);
    expect(() => parsePriorityRules('[{"when":{"type":["flood"]},"priority":"low"}]')).toThrow(
      /unknown type flood/,
    );
  });

  it('has a workflow where closed is final and resolved can reopen', () => {
    expect(TRANSITIONS.closed).toEqual([]);
    expect(TRANSITIONS.resolved).toContain('open');
    expect(TRANSITIONS.new).not.toContain('closed');
  });
});

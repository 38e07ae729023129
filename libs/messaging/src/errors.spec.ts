import { InvalidMessageError } from '@tradelane/contracts';
import { classifyError, PermanentError, TransientError } from './errors';

describe('classifyError', () => {
  it('keeps the code, message, field and disposition of coded errors', () => {
    expect(classifyError(new TransientError('timeout', 'PARTNER_TIMEOUT'))).toEqual({
      code: 'PARTNER_TIMEOUT',
      message: 'timeout',
      field: null,
      disposition: 'retry',
    });
    expect(
      classifyError(new PermanentError('bad ref', 'UNKNOWN_CUSTOMER', 'payload.customerExternalId')),
    ).toMatchObject({
      disposition: 'dead-letter',
      field: 'payload.customerExternalId',
    });
  });

  it('honours any error shaped like a coded error (e.g. a connector error)', () => {
    const err = Object.assign(new Error('token expired'), { code: 'AUTH', disposition: 'dead-letter' });
    expect(classifyError(err)).toMatchObject({ code: 'AUTH', disposition: 'dead-letter' });
  });

  it('dead-letters invalid messages at once', () => {
    expect(classifyError(new InvalidMessageError('type: unknown', 'type'))).toMatchObject({
      code: 'INVALID_MESSAGE',
      field: 'type',
      disposition: 'dead-letter',
    });
  });

  it('treats unknown errors as transient handler errors and bounds the message', () => {
    const c = classifyError(new TypeError('x'.repeat(5000)));
    expect(c).toMatchObject({ code: 'HANDLER_ERROR', disposition: 'retry' });
    expect(c.message).toHaveLength(2000);
    expect(classifyError('a string').message).toBe('a string');
  });
});

import { PageQuery } from '@tradelane/messaging';
import { plainToInstance } from 'class-transformer';
import { IsISO8601, IsNumber, IsString, validateSync } from 'class-validator';
import 'reflect-metadata';
import { validationMessages } from './api-validation.pipe';

/** A nested input as the API has them (a survey answer): a number and a timestamp. */
class ResponseInputDto {
  @IsString() source: string;
  @IsNumber() value: number;
  @IsISO8601() answeredAt: string;
}

const messages = <T extends object>(cls: new () => T, plain: object) =>
  validationMessages(validateSync(plainToInstance(cls, plain)));

describe('API validation messages', () => {
  it.each([
    ['abc', ['limit must be an integer number']],
    ['2.5', ['limit must be an integer number']],
    ['0', ['limit must not be less than 1']],
    ['9999', ['limit must not be greater than 500']],
  ])('limit=%s says only what applies', (limit, expected) => {
    expect(messages(PageQuery, { limit })).toEqual(expected);
  });

  it('names nested fields by their path', () => {
    class Wrapper {
      responses: ResponseInputDto[];
    }
    const { ValidateNested, IsArray } = jest.requireActual('class-validator');
    const { Type } = jest.requireActual('class-transformer');
    IsArray()(Wrapper.prototype, 'responses');
    ValidateNested({ each: true })(Wrapper.prototype, 'responses');
    Type(() => ResponseInputDto)(Wrapper.prototype, 'responses');
    const out = messages(Wrapper, {
      responses: [
        {
          source: 's',
          externalId: 'e',
          party: 'p',
          department: 'd',
          kind: 'csat',
          value: 'x',
          answeredAt: 'yesterday',
        },
      ],
    });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^responses\.0\.value must be a number/),
        expect.stringMatching(/^responses\.0\.answeredAt must be a valid ISO 8601/),
      ]),
    );
  });
});

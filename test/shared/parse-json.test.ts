import { JsonSyntaxError, parseJson } from '../../src/shared/parse-json';

describe('parseJson', () => {
  it('parses valid JSON as JSON.parse does', () => {
    expect(parseJson('{"a":[1,-2.5e3,true,null,"x\\u0041"]}')).toEqual({ a: [1, -2500, true, null, 'xA'] });
  });

  it.each([
    ['{"keepLast":1,}', 14, 1, 15, 'a string'],
    ['{"a":1,\n "b": }', 14, 2, 7, 'a value'],
    ['{"a" 1}', 5, 1, 6, "':'"],
    ['[1,2', 4, 1, 5, "',' or ']'"],
    ['keepLast=1', 0, 1, 1, 'a value'],
    ['{"a":1} x', 8, 1, 9, 'the end of the input'],
  ])('%j: position %i, line %i, column %i', (text, position, line, column, expected) => {
    let error: unknown;
    try {
      parseJson(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ position, line, column });
    expect((error as Error).message).toContain(`expected ${expected}`);
  });
});

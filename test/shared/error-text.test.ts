import { seedDemoCollection, startStandin, type Standin } from 'milvus-standin';
import { errorText } from '../../src/shared/text';

describe('errorText', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin({ port: 0 });
  });
  afterAll(async () => standin?.stop());

  it("gives Milvus's reason for the plain status object the SDK throws, not [object Object]", async () => {
    await seedDemoCollection(standin.address, { collection: 'shape', rows: 2, dim: 4 });
    let thrown: unknown;
    await seedDemoCollection(standin.address, { collection: 'shape', rows: 2, dim: 8 }).catch((err) => {
      thrown = err;
    });
    expect(thrown).not.toBeInstanceOf(Error);
    expect(errorText(thrown)).toBe(
      'create duplicate collection with different parameters, collection: shape (code 65535)',
    );
  });

  it.each([
    [new Error('boom'), 'boom'],
    [{ details: 'No connection established', code: 14 }, 'No connection established (code 14)'],
    [{ some: 'thing' }, '{"some":"thing"}'],
    ['text', 'text'],
    [undefined, 'undefined'],
  ])('%p → %p', (err, text) => {
    expect(errorText(err)).toBe(text);
  });
});

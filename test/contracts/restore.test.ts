import { parseInput, InputError } from '../../src/contracts/parse-input';
import { restoreInputSchema, restoreWorkflowId } from '../../src/contracts/restore';

describe('restore input schema', () => {
  it('fills the documented defaults', () => {
    const params = parseInput(
      restoreInputSchema,
      { snapshot: 'daily_20260101', sourceCollection: 'items', targetCollection: 'items_restored' },
      'restore input',
    );
    expect(params).toEqual({
      snapshot: 'daily_20260101',
      sourceDb: 'default',
      sourceCollection: 'items',
      targetDb: 'default',
      targetCollection: 'items_restored',
      timeout: '6h',
      pollInterval: '5s',
      maxPollInterval: '1m',
      verify: { load: false, sampleSize: 10 },
      onFailure: 'drop-target',
      searchAttributes: true,
    });
  });

  it('names each bad field and its rule', () => {
    const bad = () =>
      parseInput(
        restoreInputSchema,
        {
          snapshot: 'bad-name',
          sourceCollection: 'items',
          targetCollection: '',
          timeout: 'soon',
          onFailure: 'x',
        },
        'restore input',
      );
    expect(bad).toThrow(InputError);
    try {
      bad();
    } catch (err) {
      const fields = (err as InputError).issues.map((i) => i.field);
      expect(fields).toEqual(
        expect.arrayContaining(['snapshot', 'targetCollection', 'timeout', 'onFailure']),
      );
    }
  });

  it('derives the workflow id from the target', () => {
    expect(restoreWorkflowId({ targetCollection: 'items_restored' })).toBe('restore:default.items_restored');
    expect(restoreWorkflowId({ targetDb: 'prod', targetCollection: 'c' })).toBe('restore:prod.c');
  });
});

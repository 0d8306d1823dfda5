import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalExecutable } from '../../dev/temporal-binaries';
import { ensureSearchAttributes } from '../../src/temporal/register-search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';

describe('ensureSearchAttributes on a dev server that has none of ours', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: temporalExecutable('temporal'),
        ip: '127.0.0.1',
        log: { format: 'pretty', level: 'error' },
      },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('adds the missing ones once, then finds them all present', async () => {
    const first = await ensureSearchAttributes(env.connection, 'default');
    expect(first.added.sort()).toEqual(ALL_SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    expect(first.missing).toEqual([]);
    const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of ALL_SEARCH_ATTRIBUTES)
      expect(Object.keys(listed.customAttributes ?? {})).toContain(key.name);
    const second = await ensureSearchAttributes(env.connection, 'default');
    expect(second).toEqual({ added: [], missing: [] });
  });
});

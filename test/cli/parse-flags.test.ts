import { z } from 'zod';
import { coerceFlags } from '../../src/cli/coerce-flags';
import { parseFlags } from '../../src/cli/parse-flags';
import { InputError, parseInput } from '../../src/contracts/parse-input';

const schema = z.object({
  collection: z.string(),
  flush: z.boolean().default(true),
  compactionProtectionSeconds: z.number().int().min(0).optional(),
  labels: z.record(z.string(), z.string()).default({}),
  verification: z.object({ rowCount: z.boolean().default(true), sampleSize: z.number().default(0) }).default({
    rowCount: true,
    sampleSize: 0,
  }),
  keep: z.array(z.string()).default([]),
});

describe('parseFlags + coerceFlags', () => {
  it('maps kebab-case flags, negations, repeats and dotted keys onto the schema types', () => {
    const { positional, flags } = parseFlags([
      'backup',
      '--collection',
      'docs',
      '--no-flush',
      '--compaction-protection-seconds=600',
      '--label',
      'env=prod',
      '--label',
      'team=search',
      '--verification.sample-size',
      '25',
      '--keep',
      'a',
      '--keep',
      'b',
    ]);
    expect(positional).toEqual(['backup']);
    // main.ts maps `--label` onto `labels`; unknown keys such as a left-over `label` are refused.
    const { label, ...rest } = flags;
    const input = parseInput(schema, coerceFlags(schema, { ...rest, labels: label }), 'input');
    expect(input).toEqual({
      collection: 'docs',
      flush: false,
      compactionProtectionSeconds: 600,
      labels: { env: 'prod', team: 'search' },
      verification: { rowCount: true, sampleSize: 25 },
      keep: ['a', 'b'],
    });
  });

  it('leaves a bad number for zod, which names the field and the rule', () => {
    const { flags } = parseFlags(['--collection', 'docs', '--compaction-protection-seconds', 'soon']);
    expect(() => parseInput(schema, coerceFlags(schema, flags), 'backup input')).toThrow(
      /compactionProtectionSeconds: .*number/i,
    );
  });

  it('reports every bad field in one InputError', () => {
    try {
      parseInput(schema, { flush: 'yes' }, 'backup input');
      throw new Error('expected an InputError');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).issues.map((i) => i.field).sort()).toEqual(['collection', 'flush']);
    }
  });
});

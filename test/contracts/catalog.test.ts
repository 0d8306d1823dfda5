import {
  catalogCluster,
  catalogWorkflowId,
  clusterOfCatalogId,
  protectionPolicySchema,
} from '../../src/contracts/catalog';
import { recoverInputSchema, recoverWorkflowId } from '../../src/contracts/recover';
import { InputError, parseInput } from '../../src/contracts/parse-input';

function refusal(schema: Parameters<typeof parseInput>[0], raw: unknown): string {
  try {
    parseInput(schema, raw, 'input');
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('protection policy', () => {
  it("takes the pin TTL as a duration up to Milvus's 30 days, 0 meaning until unpinned", () => {
    expect(protectionPolicySchema.parse({ pinNewest: 2 })).toEqual({ pinNewest: 2, pinTtl: '30d' });
    expect(protectionPolicySchema.parse({ pinNewest: 1, pinTtl: 0 }).pinTtl).toBe(0);
    expect(protectionPolicySchema.parse({ pinNewest: 1, pinTtl: '7d' }).pinTtl).toBe('7d');
  });

  it('refuses a TTL above 30 days, a fractional second, and unknown keys, naming the field', () => {
    expect(refusal(protectionPolicySchema, { pinNewest: 2, pinTtl: '31d' })).toMatch(/pinTtl: .*at most 30d/);
    expect(refusal(protectionPolicySchema, { pinNewest: 2, pinTtl: '1500ms' })).toMatch(
      /pinTtl: must be whole seconds/,
    );
    expect(refusal(protectionPolicySchema, { pinNewst: 2 })).toMatch(
      /pinNewst: unknown key; did you mean 'pinNewest'/,
    );
    expect(refusal(protectionPolicySchema, { pinNewest: -1 })).toMatch(/pinNewest: /);
  });
});

describe('recover input', () => {
  it('fills the defaults and names the workflow after the target', () => {
    const parsed = recoverInputSchema.parse({ collection: 'docs' });
    expect(parsed).toMatchObject({ db: 'default', collection: 'docs', releasePin: false, timeout: '6h' });
    expect(parsed.verify).toEqual({ load: false, sampleSize: 10 });
    expect(recoverWorkflowId({ collection: 'docs' })).toBe('recover:default.docs');
    expect(recoverWorkflowId({ collection: 'docs', as: 'docs_recovered' })).toBe(
      'recover:default.docs_recovered',
    );
  });

  it('refuses a bad new name and unknown keys', () => {
    expect(refusal(recoverInputSchema, { collection: 'docs', as: 'bad-name' })).toMatch(
      /as: must start with/,
    );
    expect(refusal(recoverInputSchema, { collection: 'docs', relasePin: true })).toMatch(
      /relasePin: unknown key; did you mean 'releasePin'/,
    );
  });
});

it('has one catalog per collection and cluster, the cluster named only when not the default', () => {
  expect(catalogWorkflowId({ collection: 'docs' })).toBe('catalog:default.docs');
  expect(catalogWorkflowId({ db: 'prod', collection: 'docs' })).toBe('catalog:prod.docs');
  expect(catalogWorkflowId({ cluster: 'dr', db: 'prod', collection: 'docs' })).toBe('catalog:dr/prod.docs');
  // The default cluster named or not: one catalog.
  expect(catalogCluster(undefined, 'primary')).toBeUndefined();
  expect(catalogCluster('primary', 'primary')).toBeUndefined();
  expect(catalogCluster('dr', 'primary')).toBe('dr');
});

it("reads a catalog id's cluster for one db.collection only", () => {
  const ref = { db: 'prod', collection: 'docs' };
  expect(clusterOfCatalogId('catalog:dr/prod.docs', ref)).toBe('dr');
  expect(clusterOfCatalogId('catalog:prod.docs', ref)).toBeUndefined();
  expect(clusterOfCatalogId('catalog:dr/prod.docs2', ref)).toBeUndefined();
  expect(clusterOfCatalogId('catalog:dr/other.prod.docs', ref)).toBeUndefined();
  expect(clusterOfCatalogId('catalog:dr/default.docs', { collection: 'docs' })).toBe('dr');
  expect(clusterOfCatalogId('backup:dr/prod.docs', ref)).toBeUndefined();
});

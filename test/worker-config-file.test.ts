import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, redactConfig } from '../src/config';

const TEMPORAL = { TEMPORAL_ADDRESS: 'temporal.internal:7233' };
const DR_TOKEN = 'dr-user:dr-s3cret-token';
const KEY_ID = 'AKIAOFFSITEKEYID0001';
const KEY_VALUE = 'offsite/secret+key/value=0123456789';

const dir = mkdtempSync(join(tmpdir(), 'worker-config-'));
function configFile(content: unknown): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const FILE = {
  clusters: { dr: { address: 'milvus-dr.internal:19530', token: { env: 'DR_TOKEN' }, tls: true } },
  profiles: {
    offsite: {
      targetS3Path: 's3://backups-eu/milvus',
      externalSpec: {
        extfs: {
          access_key_id: { env: 'OFFSITE_KEY_ID' },
          access_key_value: { env: 'OFFSITE_KEY_VALUE' },
          region: 'eu-central-1',
          cloud_provider: 'aws',
          use_iam: false,
        },
      },
    },
    local: { targetS3Path: 'minio://127.0.0.1:9000/a-bucket/exports' },
  },
};
const SECRETS = { DR_TOKEN, OFFSITE_KEY_ID: KEY_ID, OFFSITE_KEY_VALUE: KEY_VALUE };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to throw');
}

describe('worker configuration: clusters and storage profiles', () => {
  it('MILVUS_* is the first (default) cluster, then the file clusters in order', () => {
    const config = loadConfig({
      ...TEMPORAL,
      ...SECRETS,
      MILVUS_ADDRESS: 'milvus.internal:19530',
      WORKER_CONFIG_FILE: configFile(FILE),
    });
    expect(config.clusters.map((c) => c.name)).toEqual(['primary', 'dr']);
    expect(config.clusters[1]).toEqual({
      name: 'dr',
      address: 'milvus-dr.internal:19530',
      token: DR_TOKEN,
      tls: true,
      timeoutMs: 30000,
    });
    expect(config.milvus.address).toBe('milvus.internal:19530');
  });

  it('resolves a profile external_spec with the keys from the environment; no spec means the cluster credentials', () => {
    const config = loadConfig({ ...TEMPORAL, ...SECRETS, WORKER_CONFIG: JSON.stringify(FILE) });
    const [offsite, local] = config.profiles;
    expect(offsite.targetS3Path).toBe('s3://backups-eu/milvus');
    expect(offsite.externalSpec).toEqual({
      extfs: {
        access_key_id: KEY_ID,
        access_key_value: KEY_VALUE,
        region: 'eu-central-1',
        cloud_provider: 'aws',
        use_iam: 'false',
      },
    });
    expect(local).toEqual({
      name: 'local',
      targetS3Path: 'minio://127.0.0.1:9000/a-bucket/exports',
    });
    // Without MILVUS_ADDRESS the file first cluster is the default one.
    expect(config.clusters.map((c) => c.name)).toEqual(['dr']);
    expect(config.milvus.address).toBe('milvus-dr.internal:19530');
  });

  it('MILVUS_CLUSTER_NAME names the environment cluster', () => {
    const config = loadConfig({ ...TEMPORAL, MILVUS_ADDRESS: 'm:19530', MILVUS_CLUSTER_NAME: 'eu-prod' });
    expect(config.clusters.map((c) => c.name)).toEqual(['eu-prod']);
  });

  it('redacts every token and every external_spec', () => {
    const config = loadConfig({
      ...TEMPORAL,
      ...SECRETS,
      MILVUS_ADDRESS: 'm:19530',
      WORKER_CONFIG_FILE: configFile(FILE),
    });
    const logged = JSON.stringify(redactConfig(config));
    for (const secret of [DR_TOKEN, KEY_ID, KEY_VALUE]) expect(logged).not.toContain(secret);
    expect(redactConfig(config).profiles.map((p) => p.externalSpec)).toEqual([
      { extfs: { redacted: '***' } },
      undefined,
    ]);
  });

  it.each([
    [{}, 'MILVUS_ADDRESS: is required (host:port of Milvus) unless WORKER_CONFIG_FILE names a cluster'],
    [
      { WORKER_CONFIG: '{"clusters":{"dr":{"adress":"x:1"}}}' },
      "WORKER_CONFIG clusters.dr.adress: unknown key; did you mean 'address'?",
    ],
    [
      { WORKER_CONFIG: '{"clusters":{"dr":{"address":"nohost"}}}' },
      'WORKER_CONFIG clusters.dr.address: must be host:port, optionally prefixed by http:// or https://',
    ],
    [
      { WORKER_CONFIG: '{"profiles":{"offsite":{"targetS3Path":"backups"}}}' },
      'WORKER_CONFIG profiles.offsite.targetS3Path: must be a URI with a bucket and a key prefix, e.g. s3://bucket/milvus-exports',
    ],
    [
      {
        WORKER_CONFIG:
          '{"profiles":{"offsite":{"targetS3Path":"s3://b/p","externalSpec":{"extfs":{"access_key_value":{"env":"NOT_SET_ANYWHERE"}}}}}}',
      },
      'WORKER_CONFIG profiles.offsite.externalSpec.extfs.access_key_value: names NOT_SET_ANYWHERE, which is not set',
    ],
    [
      { MILVUS_ADDRESS: 'm:1', WORKER_CONFIG: '{"clusters":{"primary":{"address":"x:1"}}}' },
      'clusters: "primary" is configured twice (MILVUS_CLUSTER_NAME or the file)',
    ],
    [{ WORKER_CONFIG: '{"clusters":' }, 'WORKER_CONFIG (file): malformed JSON'],
    [{ WORKER_CONFIG_FILE: join(dir, 'missing.json') }, 'WORKER_CONFIG_FILE (file): cannot read'],
  ])('refuses %j naming the field and the rule', (env, message) => {
    expect(configError({ ...TEMPORAL, ...env } as Record<string, string>).message).toContain(message);
  });

  it('never puts a secret into an error message', () => {
    const bad = `{"clusters":{"dr":{"address":"x:1","token":{"env":"${KEY_VALUE}"}}}}`;
    const err = configError({ ...TEMPORAL, ...SECRETS, WORKER_CONFIG: bad });
    expect(err.message).not.toContain(KEY_VALUE);
    const badType = `{"clusters":{"dr":{"address":"x:1","token":123}}}`;
    expect(configError({ ...TEMPORAL, WORKER_CONFIG: badType }).message).toBe(
      'WORKER_CONFIG clusters.dr.token: must be text or { "env": "VARIABLE" }',
    );
  });
});

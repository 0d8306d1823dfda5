import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, redactConfig } from '../src/config';

const BASE = { TEMPORAL_ADDRESS: 'temporal.internal:7233', MILVUS_ADDRESS: 'milvus.internal:19530' };
const MILVUS_TOKEN = 'root:Milvus-s3cret-token';
const TEMPORAL_API_KEY = 'tmprl-api-key-0123456789';

/** The ConfigError that loading this environment throws. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to throw');
}

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
const file = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, `-----BEGIN ${name}-----\n`);
  return path;
};
const CERT = file('client.crt');
const KEY = file('client.key');
const CA = file('ca.crt');

describe('loadConfig: valid environments', () => {
  it('applies the defaults', () => {
    expect(loadConfig(BASE)).toEqual({
      temporal: {
        address: 'temporal.internal:7233',
        namespace: 'default',
        taskQueue: 'milvus-snapshots',
        tls: false,
        apiKey: undefined,
      },
      milvus: {
        address: 'milvus.internal:19530',
        token: undefined,
        tls: false,
        timeoutMs: 30000,
      },
      clusters: [
        {
          name: 'primary',
          address: 'milvus.internal:19530',
          token: undefined,
          tls: false,
          timeoutMs: 30000,
        },
      ],
      profiles: [],
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...BASE,
      TEMPORAL_NAMESPACE: 'prod.a1b2c',
      TEMPORAL_TASK_QUEUE: 'snapshots-eu',
      TEMPORAL_TLS_CERT_PATH: CERT,
      TEMPORAL_TLS_KEY_PATH: KEY,
      TEMPORAL_TLS_CA_PATH: CA,
      MILVUS_ADDRESS: 'https://in01.zillizcloud.com:443',
      MILVUS_TOKEN,
      MILVUS_DB: 'default',
      MILVUS_TLS: 'TRUE',
      MILVUS_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'Debug',
    });
    expect(config.temporal).toEqual({
      address: 'temporal.internal:7233',
      namespace: 'prod.a1b2c',
      taskQueue: 'snapshots-eu',
      tls: { clientCertPath: CERT, clientKeyPath: KEY, caPath: CA },
      apiKey: undefined,
    });
    expect(config.milvus).toEqual({
      address: 'https://in01.zillizcloud.com:443',
      token: MILVUS_TOKEN,
      tls: true,
      timeoutMs: 1500,
    });
    expect(config.logLevel).toBe('debug');
  });

  it('turns TLS on when an API key is set, even without files', () => {
    const config = loadConfig({ ...BASE, TEMPORAL_API_KEY });
    expect(config.temporal.tls).toEqual({});
    expect(config.temporal.apiKey).toBe(TEMPORAL_API_KEY);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ ...BASE, MILVUS_DB: '', MILVUS_TLS: '', TEMPORAL_TLS_CA_PATH: '' });
    expect(config.milvus.tls).toBe(false);
    expect(config.temporal.tls).toBe(false);
  });

  it.each([
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('MILVUS_TLS=%s → %s', (value, expected) => {
    expect(loadConfig({ ...BASE, MILVUS_TLS: value }).milvus.tls).toBe(expected);
  });

  it('accepts IPv6 and plain host:port addresses', () => {
    expect(loadConfig({ ...BASE, TEMPORAL_ADDRESS: '[::1]:7233' }).temporal.address).toBe('[::1]:7233');
    expect(loadConfig({ ...BASE, MILVUS_ADDRESS: '127.0.0.1:19530' }).milvus.address).toBe('127.0.0.1:19530');
  });

  it('reads the metrics address; absent or empty means no metrics endpoint', () => {
    expect(loadConfig({ ...BASE, METRICS_ADDRESS: '0.0.0.0:9464' }).metricsAddress).toBe('0.0.0.0:9464');
    expect(loadConfig({ ...BASE, METRICS_ADDRESS: '' })).not.toHaveProperty('metricsAddress');
  });
});

describe('loadConfig: one line naming the variable and the rule', () => {
  it.each([
    [{ MILVUS_ADDRESS: BASE.MILVUS_ADDRESS }, 'TEMPORAL_ADDRESS', 'is required'],
    [{ TEMPORAL_ADDRESS: BASE.TEMPORAL_ADDRESS }, 'MILVUS_ADDRESS', 'is required'],
    [{ ...BASE, TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS', 'must be host:port'],
    [{ ...BASE, TEMPORAL_ADDRESS: 'localhost:70000' }, 'TEMPORAL_ADDRESS', 'must be host:port'],
    [{ ...BASE, TEMPORAL_ADDRESS: 'http://localhost:7233' }, 'TEMPORAL_ADDRESS', 'must be host:port'],
    [{ ...BASE, MILVUS_ADDRESS: 'milvus' }, 'MILVUS_ADDRESS', 'must be host:port'],
    [{ ...BASE, TEMPORAL_NAMESPACE: 'bad namespace' }, 'TEMPORAL_NAMESPACE', 'must be letters'],
    [{ ...BASE, TEMPORAL_TASK_QUEUE: '   ' }, 'TEMPORAL_TASK_QUEUE', 'must not be empty'],
    [
      { ...BASE, MILVUS_DB: 'analytics_2' },
      'MILVUS_DB',
      'is no longer read: each workflow input names its database',
    ],
    [{ ...BASE, MILVUS_TLS: 'maybe' }, 'MILVUS_TLS', 'must be true or false'],
    [{ ...BASE, MILVUS_TIMEOUT_MS: '5s' }, 'MILVUS_TIMEOUT_MS', 'must be a whole number of milliseconds'],
    [{ ...BASE, MILVUS_TIMEOUT_MS: '0' }, 'MILVUS_TIMEOUT_MS', 'must be between 1 and 3600000'],
    [{ ...BASE, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'must be one of trace, debug, info, warn, error'],
    [{ ...BASE, METRICS_ADDRESS: '9464' }, 'METRICS_ADDRESS', 'must be host:port'],
    [
      { ...BASE, TEMPORAL_TLS_CA_PATH: join(dir, 'missing.pem') },
      'TEMPORAL_TLS_CA_PATH',
      'existing readable file',
    ],
    [{ ...BASE, TEMPORAL_TLS_CERT_PATH: dir }, 'TEMPORAL_TLS_CERT_PATH', 'existing readable file'],
    [{ ...BASE, TEMPORAL_TLS_CERT_PATH: CERT }, 'TEMPORAL_TLS_KEY_PATH', 'must be set together'],
    [{ ...BASE, TEMPORAL_TLS_KEY_PATH: KEY }, 'TEMPORAL_TLS_CERT_PATH', 'must be set together'],
  ])('%j → %s', (env, variable, rule) => {
    const err = configError(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).toContain(rule);
    expect(err.message).not.toMatch(/[\r\n]/);
  });
});

describe('secrets', () => {
  const secrets = { MILVUS_TOKEN, TEMPORAL_API_KEY };

  it('never appear in an error message', () => {
    const bad = [
      { ...secrets, ...BASE, TEMPORAL_ADDRESS: 'nope' },
      { ...secrets, ...BASE, MILVUS_DB: MILVUS_TOKEN },
      { ...secrets, MILVUS_ADDRESS: TEMPORAL_API_KEY, TEMPORAL_ADDRESS: BASE.TEMPORAL_ADDRESS },
      { ...secrets, ...BASE, LOG_LEVEL: TEMPORAL_API_KEY },
    ];
    for (const env of bad) {
      const err = configError(env);
      expect(err.message).not.toContain(MILVUS_TOKEN);
      expect(err.message).not.toContain(TEMPORAL_API_KEY);
      expect(String(err.stack)).not.toContain(MILVUS_TOKEN);
    }
  });

  it('are replaced by *** in the redacted copy, and the original is untouched', () => {
    const config = loadConfig({ ...BASE, ...secrets });
    const redacted = redactConfig(config);
    expect(redacted.milvus.token).toBe('***');
    expect(redacted.temporal.apiKey).toBe('***');
    const logged = JSON.stringify(redacted);
    expect(logged).not.toContain(MILVUS_TOKEN);
    expect(logged).not.toContain(TEMPORAL_API_KEY);
    expect(config.milvus.token).toBe(MILVUS_TOKEN);
    expect(config.temporal.apiKey).toBe(TEMPORAL_API_KEY);
  });

  it('absent secrets stay absent when redacted', () => {
    const redacted = redactConfig(loadConfig(BASE));
    expect(redacted.milvus.token).toBeUndefined();
    expect(redacted.temporal.apiKey).toBeUndefined();
  });
});

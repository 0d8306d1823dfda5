import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig, type AppConfig } from '../../src/config';
import { connectClient, connectWorkerConnection, tlsOptions } from '../../src/temporal/connection';
import { startDevServer } from '../helpers/temporal';

describe('Temporal connections from the configuration', () => {
  let env: TestWorkflowEnvironment;
  let config: AppConfig;

  beforeAll(async () => {
    env = await startDevServer();
    config = loadConfig({ TEMPORAL_ADDRESS: env.address, MILVUS_ADDRESS: '127.0.0.1:19530' });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('connectClient reaches the server and binds the configured namespace', async () => {
    const { connection, client } = await connectClient(config);
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toEqual(expect.any(String));
      expect(client.options.namespace).toBe('default');
    } finally {
      await connection.close();
    }
  });

  it('connectWorkerConnection reaches the server (given the temporal section)', async () => {
    const connection = await connectWorkerConnection(config.temporal);
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toEqual(expect.any(String));
    } finally {
      await connection.close();
    }
  });

  it('a TLS configuration is honoured: TLS to a plaintext server fails', async () => {
    const tlsConfig = { ...config.temporal, tls: {} };
    // The handshake meets a plaintext HTTP/2 reply: a transport error, not a silent downgrade.
    await expect(connectWorkerConnection(tlsConfig)).rejects.toThrow(/transport/i);
  });
});

describe('tlsOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cert = write('client.crt', 'CERT');
  const key = write('client.key', 'KEY');
  const ca = write('ca.crt', 'CA');

  it('plaintext stays plaintext', async () => {
    await expect(tlsOptions(false)).resolves.toBe(false);
  });

  it('TLS without files uses the system roots', async () => {
    await expect(tlsOptions({})).resolves.toEqual({});
  });

  it('reads the client pair and the CA from the configured files', async () => {
    const tls = await tlsOptions({ clientCertPath: cert, clientKeyPath: key, caPath: ca });
    expect(tls).not.toBe(false);
    if (!tls) return;
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toBe('CERT');
    expect(Buffer.from(tls.clientCertPair!.key).toString()).toBe('KEY');
    expect(Buffer.from(tls.serverRootCACertificate!).toString()).toBe('CA');
  });

  it('a CA alone gives one-way TLS', async () => {
    const tls = await tlsOptions({ caPath: ca });
    expect(tls).toEqual({ serverRootCACertificate: expect.any(Buffer) });
  });
});

import { readFile } from 'node:fs/promises';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig, TemporalConfig } from '../config';
import { errorText } from '../shared/text';

/** Connections to Temporal for the client side (CLI, schedules) and for the worker. */

type ConfigInput = TemporalConfig | AppConfig;

const temporalSection = (config: ConfigInput): TemporalConfig =>
  'temporal' in config ? config.temporal : config;

async function readIfSet(path: string | undefined): Promise<Buffer | undefined> {
  return path ? readFile(path) : undefined;
}

/** Turns configured file paths into the SDK's TLS options; false means plaintext. */
export async function tlsOptions(tls: TemporalConfig['tls']): Promise<TLSConfig | false> {
  if (!tls) return false;
  const [crt, key, ca] = await Promise.all([
    readIfSet(tls.clientCertPath),
    readIfSet(tls.clientKeyPath),
    readIfSet(tls.caPath),
  ]);
  return {
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
}

export interface TemporalClient {
  connection: Connection;
  client: Client;
}

/** The SDKs say "Failed to connect before the deadline" without saying where; an operator needs the address. */
async function naming<T>(address: string, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (err) {
    const reason = errorText(err);
    throw new Error(`cannot connect to Temporal at ${address}: ${reason}`);
  }
}

/** Client connection (start workflows, manage schedules). Close `connection` when done. */
export async function connectClient(config: ConfigInput): Promise<TemporalClient> {
  const temporal = temporalSection(config);
  const tls = await tlsOptions(temporal.tls);
  const connection = await naming(temporal.address, () =>
    Connection.connect({ address: temporal.address, tls, apiKey: temporal.apiKey }),
  );
  return { connection, client: new Client({ connection, namespace: temporal.namespace }) };
}

/** Worker connection (Rust core). Close it after the worker stops. */
export async function connectWorkerConnection(config: ConfigInput): Promise<NativeConnection> {
  const temporal = temporalSection(config);
  const tls = await tlsOptions(temporal.tls);
  return naming(temporal.address, () =>
    NativeConnection.connect({ address: temporal.address, tls, apiKey: temporal.apiKey }),
  );
}

/**
 * Optional HTTP admin so another process (a test, a demo script) can steer faults at run time:
 * GET /faults, POST /faults, POST /faults/reset, POST /faults/unavailable, POST /faults/fail-next, GET /calls,
 * GET /concurrency, POST /concurrency/reset.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultConfig, FaultController } from './faults';

type Route = (body: Record<string, unknown>) => unknown;

const MAX_BODY_BYTES = 1_000_000;

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.length > MAX_BODY_BYTES) reject(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch {
        reject(new Error('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

function routes(faults: FaultController): Record<string, Route> {
  return {
    'GET /faults': () => faults.get(),
    'POST /faults': (body) => {
      faults.set(body as Partial<FaultConfig>); // validates, throws → 400
      return faults.get();
    },
    'POST /faults/reset': () => {
      faults.reset();
      return faults.get();
    },
    'POST /faults/unavailable': (body) => {
      faults.unavailableNext(
        Number(body.count ?? 1),
        Array.isArray(body.methods) ? body.methods.map(String) : undefined,
      );
      return { ok: true };
    },
    'POST /faults/fail-next': (body) => {
      if (typeof body.method !== 'string') throw new Error('method is required');
      faults.failNext(
        body.method,
        { code: Number(body.code ?? 65535), reason: String(body.reason ?? '') },
        Number(body.count ?? 1),
      );
      return { ok: true };
    },
    'GET /calls': () => faults.callCounts(),
    'GET /concurrency': () => faults.concurrency(),
    'POST /concurrency/reset': () => faults.resetConcurrency(),
  };
}

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

export async function startAdmin(faults: FaultController, host: string, port: number): Promise<AdminServer> {
  const table = routes(faults);
  const server = http.createServer((req, res) => {
    const route = table[`${req.method} ${(req.url ?? '').split('?')[0]}`];
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (!route) return reply(404, { error: 'not found' });
    readBody(req)
      .then((body) => reply(200, route(body)))
      .catch((err: Error) => reply(400, { error: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

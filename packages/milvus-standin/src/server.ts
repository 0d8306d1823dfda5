/** gRPC plumbing: every call is counted (and gauged while in flight), delayed, possibly faulted, authenticated, then handled. */
import * as grpc from '@grpc/grpc-js';
import type { Faults } from './faults';
import type { CallContext, Handler } from './handlers';
import { authRefusal, errorStatus, MilvusCode, okStatus } from './milvus-codes';
import { bareStatusMethods, milvusServiceDefinition } from './proto';
import { MilvusFailure } from './rows';

export interface ServerDeps {
  handlers: Record<string, Handler>;
  faults: Faults;
  /** "user:password"; when set, calls must carry it (base64) in the `authorization` header. */
  token?: string;
}

type Unary = grpc.handleUnaryCall<Record<string, unknown>, Record<string, unknown>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function metadataValue(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
}

/** Mirrors the Milvus proxy's auth interceptor; returns the refusal message or null when allowed. */
export function authRefusalFor(metadata: grpc.Metadata, token: string | undefined): string | null {
  if (!token) return null;
  const header = metadataValue(metadata, 'authorization');
  if (header === undefined) return authRefusal.missing;
  const decoded = Buffer.from(header, 'base64').toString('utf8');
  if (Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') !== header.replace(/=+$/, '')) {
    return authRefusal.badFormat;
  }
  if (decoded === token) return null;
  return decoded.includes(':') ? authRefusal.badPassword : authRefusal.badApiKey;
}

export function buildImplementation(deps: ServerDeps): grpc.UntypedServiceImplementation {
  const definition = milvusServiceDefinition();
  const bare = bareStatusMethods();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(definition)) {
    const wrap = (response: Record<string, unknown> | void, status: Record<string, unknown>) =>
      bare.has(method) ? status : { ...(response ?? {}), status };
    const unary: Unary = (call, callback) => {
      deps.faults.gauge.enter();
      void handleCall(method, call, deps, wrap).then(
        (result) => {
          deps.faults.gauge.leave();
          callback(null, result);
        },
        (err: grpc.ServiceError) => {
          deps.faults.gauge.leave();
          callback(err);
        },
      );
    };
    implementation[method] = unary;
  }
  return implementation;
}

async function handleCall(
  method: string,
  call: grpc.ServerUnaryCall<Record<string, unknown>, Record<string, unknown>>,
  deps: ServerDeps,
  wrap: (
    response: Record<string, unknown> | void,
    status: Record<string, unknown>,
  ) => Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const fault = deps.faults.onCall(method);
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.kind === 'unavailable') {
    throw grpcError(grpc.status.UNAVAILABLE, 'injected by the Milvus stand-in: service unavailable');
  }
  const refusal = authRefusalFor(call.metadata, deps.token);
  if (refusal) throw grpcError(grpc.status.UNAUTHENTICATED, refusal);
  if (fault.kind === 'milvusError') return wrap(undefined, { ...errorStatus(fault.code, fault.reason) });
  const handler = deps.handlers[method];
  if (!handler) {
    return wrap(undefined, {
      ...errorStatus(
        MilvusCode.OperationNotSupported,
        `${method} is not implemented by the Milvus stand-in: unsupported operation`,
      ),
    });
  }
  const ctx: CallContext = { metadataDb: metadataValue(call.metadata, 'dbname') };
  try {
    const response = handler(call.request, ctx);
    return wrap(response, { ...okStatus() });
  } catch (err) {
    if (err instanceof MilvusFailure)
      return wrap(undefined, { ...errorStatus(err.code, err.reason, err.legacyCode) });
    const message = err instanceof Error ? err.message : String(err);
    return wrap(undefined, { ...errorStatus(MilvusCode.Unexpected, `${message}: unexpected error`) });
  }
}

function grpcError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), {
    code,
    details,
    metadata: new grpc.Metadata(),
  });
}

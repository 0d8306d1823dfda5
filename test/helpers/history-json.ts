import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * History ⇄ proto JSON (the format `temporal workflow show --output json` writes). The SDK's own
 * historyToJSON/historyFromJSON throw "type must be a Type" in this install: @temporalio/common and
 * @temporalio/proto each carry their own protobufjs, and protojson checks `instanceof Type` against
 * the other copy. Using the protojson of the copy that built the types avoids the mismatch.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require('@temporalio/proto/node_modules/protobufjs/ext/protojson') as {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: unknown): unknown;
};

type History = proto.temporal.api.history.v1.IHistory;
const HistoryMessage = proto.temporal.api.history.v1.History;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, HistoryMessage.fromObject(history)), null, 2);
}

export function historyFromJson(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}

/** With RECORD_HISTORIES=1, keeps a run's history as test/replay/histories/<file> for the replay test. */
export async function recordHistory(
  handle: { fetchHistory(): Promise<History> },
  file: string,
): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = join(__dirname, '..', 'replay', 'histories');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), historyToJson(await handle.fetchHistory()));
}

import type { MilvusGateway, SnapshotInfo, SnapshotRef } from '../../milvus/gateway';
import { isMadeByRun, parseSnapshotMarker, type SnapshotMarker } from '../../contracts/snapshot-marker';
import type { RunIdentity } from '../../contracts/snapshot-marker';

/**
 * create_ts is Milvus's clock, "now" is the worker's: allow this much disagreement between them
 * before calling a timestamp one from the future.
 */
export const CREATE_TS_TOLERANCE_MS = 60_000;

export interface VerifySnapshotInput extends SnapshotRef {
  /** When given, the marker must name this run. */
  run?: RunIdentity;
  /** When given, the marker must record exactly these rows and labels. */
  expectedRows?: number;
  expectedLabels?: Record<string, string>;
}

export interface SnapshotVerification {
  ok: boolean;
  /** What did not match, one sentence each (empty when ok). */
  problems: string[];
  /** What was checked and held. */
  checks: string[];
  info: SnapshotInfo;
  marker?: SnapshotMarker;
  verifiedAtMs: number;
}

type Check = { ok: true; text: string } | { ok: false; text: string };

function checkIdentity(ref: SnapshotRef, info: SnapshotInfo): Check[] {
  return [
    info.name === ref.snapshot
      ? { ok: true, text: `DescribeSnapshot name is ${ref.snapshot}` }
      : { ok: false, text: `DescribeSnapshot returned name "${info.name}", expected "${ref.snapshot}"` },
    info.collection === ref.collection
      ? { ok: true, text: `snapshot belongs to collection ${ref.collection}` }
      : {
          ok: false,
          text: `snapshot belongs to collection "${info.collection}", expected "${ref.collection}"`,
        },
  ];
}

/**
 * create_ts is a lower bound, not the moment of the call: the minimum channel checkpoint when the
 * snapshot was taken (internal/datacoord/handler.go GenSnapshot), earlier than the run whenever
 * nothing was flushed since (always so without flush). It only has to be a real time, not in the
 * future; the name, the list and the marker naming this run are what prove the snapshot is ours.
 */
function checkCreateTs(info: SnapshotInfo, nowMs: number): Check {
  const created = new Date(info.createTs).toISOString();
  if (!(info.createTs > 0) || info.createTs > nowMs + CREATE_TS_TOLERANCE_MS) {
    return { ok: false, text: `create_ts ${info.createTs} (${created}) is not a time before now` };
  }
  return { ok: true, text: `create_ts ${created}: the snapshot holds at least the data written before it` };
}

function checkMarker(input: VerifySnapshotInput, marker: SnapshotMarker | undefined): Check[] {
  const wantsMarker = input.run || input.expectedRows !== undefined || input.expectedLabels;
  if (!wantsMarker) return [];
  if (!marker)
    return [{ ok: false, text: 'the stored description has no readable milvus-snapshot-worker marker' }];
  const checks: Check[] = [];
  if (input.run) {
    checks.push(
      isMadeByRun(marker, input.run)
        ? { ok: true, text: `marker names this run (${input.run.workflowId})` }
        : { ok: false, text: `marker names run ${marker.workflowId}/${marker.runId}, not this one` },
    );
  }
  if (input.expectedRows !== undefined) {
    checks.push(
      marker.rows === input.expectedRows
        ? { ok: true, text: `marker records ${input.expectedRows} rows` }
        : { ok: false, text: `marker records ${marker.rows ?? 'no'} rows, expected ${input.expectedRows}` },
    );
  }
  if (input.expectedLabels) {
    const same = JSON.stringify(sortKeys(marker.labels)) === JSON.stringify(sortKeys(input.expectedLabels));
    checks.push(
      same
        ? { ok: true, text: 'marker records the requested labels' }
        : {
            ok: false,
            text: `marker labels ${JSON.stringify(marker.labels)} differ from the requested ones`,
          },
    );
  }
  return checks;
}

function sortKeys(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Reads the snapshot back the way an operator would (DescribeSnapshot, ListSnapshots) and checks it
 * is the one this run meant to make. Returns the verdict instead of throwing, so the workflow decides
 * whether to compensate; Milvus errors still throw (and retry when transient).
 */
export function createVerifySnapshotActivities(gateway: MilvusGateway) {
  return {
    async verifySnapshot(input: VerifySnapshotInput): Promise<SnapshotVerification> {
      const ref = { db: input.db, collection: input.collection, snapshot: input.snapshot };
      const info = await gateway.describeSnapshot(ref);
      const listed = await gateway.listSnapshots({ db: ref.db, collection: ref.collection });
      const nowMs = Date.now();
      const marker = parseSnapshotMarker(info.description);
      const results: Check[] = [
        ...checkIdentity(ref, info),
        checkCreateTs(info, nowMs),
        listed.includes(ref.snapshot)
          ? { ok: true, text: `ListSnapshots of ${ref.collection} contains ${ref.snapshot}` }
          : { ok: false, text: `ListSnapshots of ${ref.collection} does not contain ${ref.snapshot}` },
        ...checkMarker(input, marker),
      ];
      const problems = results.filter((c) => !c.ok).map((c) => c.text);
      const checks = results.filter((c) => c.ok).map((c) => c.text);
      return { ok: problems.length === 0, problems, checks, info, marker, verifiedAtMs: nowMs };
    },
  };
}

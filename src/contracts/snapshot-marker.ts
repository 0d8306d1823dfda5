import { z } from 'zod';

/**
 * Snapshots this project makes carry a machine-readable marker at the end of their description:
 *
 *   "nightly backup [msw:{"v":1,"createdBy":"milvus-snapshot-worker","labels":{...},"rows":1200,...}]"
 *
 * Milvus stores nothing else per snapshot that we control, so the description is where retention
 * recognises "ours" (and by which labels), and where restore and drill verification learn the row
 * count the snapshot was taken with. The human text before the marker is kept as written.
 */

export const SNAPSHOT_MARKER_CREATOR = 'milvus-snapshot-worker';
const MARKER_PREFIX = '[msw:';

export const snapshotMarkerSchema = z.looseObject({
  v: z.literal(1),
  createdBy: z.literal(SNAPSHOT_MARKER_CREATOR),
  labels: z.record(z.string(), z.string()).default({}),
  /** Rows in the collection right after the flush that preceded creation (what the snapshot holds). */
  rows: z.number().int().nonnegative().optional(),
  /** Whether the backup flushed before creating; without it `rows` may include unflushed rows. */
  flushed: z.boolean().optional(),
  /** The Temporal workflow that made the snapshot: lets a retried create recognise its own work. */
  workflowId: z.string().optional(),
  runId: z.string().optional(),
});

export type SnapshotMarker = z.infer<typeof snapshotMarkerSchema>;
export type SnapshotMarkerInput = Omit<z.input<typeof snapshotMarkerSchema>, 'v' | 'createdBy'>;

/** The description to send to Milvus: the human text, then the marker. */
export function formatSnapshotDescription(text: string, marker: SnapshotMarkerInput): string {
  const full = snapshotMarkerSchema.parse({ ...marker, v: 1, createdBy: SNAPSHOT_MARKER_CREATOR });
  const json = JSON.stringify(full);
  const trimmed = text.trim();
  return trimmed ? `${trimmed} ${MARKER_PREFIX}${json}]` : `${MARKER_PREFIX}${json}]`;
}

interface Located {
  marker: SnapshotMarker;
  start: number;
}

/** The marker must end the description; the human text may itself contain "[msw:", so try each. */
function locateMarker(description: string): Located | undefined {
  const end = description.trimEnd();
  if (!end.endsWith(']')) return undefined;
  for (let start = end.indexOf(MARKER_PREFIX); start >= 0; start = end.indexOf(MARKER_PREFIX, start + 1)) {
    const json = end.slice(start + MARKER_PREFIX.length, -1);
    const marker = parseMarkerJson(json);
    if (marker) return { marker, start };
  }
  return undefined;
}

function parseMarkerJson(json: string): SnapshotMarker | undefined {
  try {
    const parsed = snapshotMarkerSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The marker of a snapshot this project made, or undefined for anyone else's snapshot. */
export function parseSnapshotMarker(description: string | undefined): SnapshotMarker | undefined {
  return description ? locateMarker(description)?.marker : undefined;
}

/** The human part of the description, without the marker. */
export function snapshotDescriptionText(description: string | undefined): string {
  if (!description) return '';
  const located = locateMarker(description);
  return located ? description.slice(0, located.start).trimEnd() : description;
}

/** True when the marker says the snapshot was made by the given workflow run. */
/** The workflow run on whose behalf a snapshot is created (recorded in its marker). */
export interface RunIdentity {
  workflowId: string;
  runId: string;
}

export function isMadeByRun(marker: SnapshotMarker | undefined, run: RunIdentity): boolean {
  return marker?.workflowId === run.workflowId && marker.runId === run.runId;
}

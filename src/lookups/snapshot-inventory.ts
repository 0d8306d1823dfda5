import type { Client } from '@temporalio/client';
import { pinHolds } from '../catalog/entries';
import type { CatalogEntry, CatalogState } from '../contracts/catalog';
import { readCatalog } from '../catalog/catalog-access';
import { parseSnapshotMarker, snapshotDescriptionText } from '../contracts/snapshot-marker';
import type {
  CollectionRef,
  MilvusGateway,
  RestoreJobInfo,
  SnapshotInfo,
  SnapshotRef,
} from '../milvus/gateway';
import { milvusName } from '../milvus/names';

/**
 * What an operator wants to know about a collection's snapshots, from three places: Milvus (what
 * exists, create_ts, the description's marker with the row count), the collection's catalog
 * (issue 13: verified, protection pin, off-site export) and, for snapshots verified before the
 * catalog existed, Temporal's visibility (a completed backup run of the snapshot verified it).
 */
export interface SnapshotRow {
  name: string;
  db: string;
  collection: string;
  /** Milvus's create_ts, epoch ms, and as ISO text. */
  createTs: number;
  createdAt: string;
  /** Rows it holds (the backup's count after the flush); null when not recorded. */
  rows: number | null;
  /** True when this project made it (its description carries the marker). */
  ours: boolean;
  /** When a backup verified it, ISO; null when none did (as far as the source knows). */
  verifiedAt: string | null;
  /** Where `verifiedAt` came from. */
  verifiedBy: 'catalog' | 'backup run' | null;
  /** Pins holding it now: the catalog's protection pin, restore jobs still reading it (Milvus pins for those). */
  pins: string[];
  /** Protected against a DropCollection by the catalog's pin, which holds now. */
  protected: boolean;
  /** The newest off-site export the catalog recorded (profile and when); null = none. */
  exported: { profile: string; at: string } | null;
}

export interface SnapshotDetail extends SnapshotRow {
  description: string;
  partitionNames: string[];
  s3Location: string;
  labels: Record<string, string>;
  /** The Temporal run that made it, from the marker. */
  madeBy?: { workflowId?: string; runId?: string };
  /** The catalog's entry, when there is one. */
  catalog?: CatalogEntry;
}

export interface Inventory {
  /**
   * False when Milvus has no such collection (dropped): `snapshots` is then empty and the catalog
   * is what is left (recover from it with `recover`).
   */
  collectionExists: boolean;
  /** The collection's catalog (empty when nothing was recorded). */
  catalog: CatalogState;
  snapshots: SnapshotRow[];
}

/** Snapshots that a completed backup run verified, with the run's close time (newest runs first). */
async function verifiedByBackupRuns(client: Client, ref: CollectionRef): Promise<Map<string, Date>> {
  const query = [
    "SnapshotOperation = 'backup'",
    `MilvusDb = '${milvusName.parse(ref.db)}'`,
    `MilvusCollection = '${milvusName.parse(ref.collection)}'`,
    "ExecutionStatus = 'Completed'",
  ].join(' AND ');
  const verified = new Map<string, Date>();
  for await (const run of client.workflow.list({ query, pageSize: 1000 })) {
    const name = run.searchAttributes?.MilvusSnapshot;
    const snapshot = Array.isArray(name) ? String(name[0]) : undefined;
    if (snapshot && run.closeTime && !verified.has(snapshot)) verified.set(snapshot, run.closeTime);
  }
  return verified;
}

/** Restore jobs still running pin their snapshot in Milvus until they end. */
function restorePins(jobs: RestoreJobInfo[]): Map<string, string[]> {
  const pins = new Map<string, string[]>();
  for (const job of jobs) {
    if (job.state !== 'Pending' && job.state !== 'Executing') continue;
    pins.set(job.snapshot, [...(pins.get(job.snapshot) ?? []), `restore job ${job.jobId}`]);
  }
  return pins;
}

function pinText(entry: CatalogEntry | undefined, now: number): string[] {
  if (!entry?.pin || !pinHolds(entry, now)) return [];
  const until =
    entry.pin.expiresAt === null ? 'until unpinned' : `until ${new Date(entry.pin.expiresAt).toISOString()}`;
  return [`protection pin ${entry.pin.id} ${until}`];
}

interface Sources {
  catalog: CatalogState;
  entries: Map<string, CatalogEntry>;
  backupRuns: Map<string, Date>;
  restorePins: Map<string, string[]>;
  now: number;
}

function snapshotRow(ref: SnapshotRef, info: SnapshotInfo, s: Sources): SnapshotRow {
  const marker = parseSnapshotMarker(info.description);
  const entry = s.entries.get(ref.snapshot);
  const run = s.backupRuns.get(ref.snapshot);
  const verifiedAt = entry ? new Date(entry.verifiedAt) : run;
  return {
    name: ref.snapshot,
    db: ref.db,
    collection: ref.collection,
    createTs: info.createTs,
    createdAt: new Date(info.createTs).toISOString(),
    rows: entry?.rowCount ?? marker?.rows ?? null,
    ours: marker !== undefined,
    verifiedAt: verifiedAt?.toISOString() ?? null,
    verifiedBy: entry ? 'catalog' : run ? 'backup run' : null,
    pins: [...pinText(entry, s.now), ...(s.restorePins.get(ref.snapshot) ?? [])],
    protected: entry !== undefined && pinHolds(entry, s.now),
    exported: entry?.export
      ? { profile: entry.export.profile, at: new Date(entry.export.completedAt).toISOString() }
      : null,
  };
}

async function sources(gateway: MilvusGateway, client: Client, ref: CollectionRef): Promise<Sources> {
  const [catalog, backupRuns, jobs] = await Promise.all([
    readCatalog(client, ref),
    verifiedByBackupRuns(client, ref),
    gateway.listRestoreJobs(),
  ]);
  const entries = new Map(catalog.entries.map((e) => [e.snapshot, e]));
  return { catalog, entries, backupRuns, restorePins: restorePins(jobs), now: Date.now() };
}

/** Every snapshot of the collection, newest first. */
export async function listSnapshotRows(
  gateway: MilvusGateway,
  client: Client,
  ref: CollectionRef,
): Promise<Inventory> {
  if (!(await gateway.hasCollection(ref)))
    return { collectionExists: false, catalog: await readCatalog(client, ref), snapshots: [] };
  const names = await gateway.listSnapshots(ref);
  const s = await sources(gateway, client, ref);
  const rows = await Promise.all(
    names.map(async (snapshot) => {
      const one = { ...ref, snapshot };
      return snapshotRow(one, await gateway.describeSnapshot(one), s);
    }),
  );
  const snapshots = rows.sort((a, b) => b.createTs - a.createTs || a.name.localeCompare(b.name));
  return { collectionExists: true, catalog: s.catalog, snapshots };
}

export async function describeSnapshotDetail(
  gateway: MilvusGateway,
  client: Client,
  ref: SnapshotRef,
): Promise<SnapshotDetail> {
  const [info, s] = await Promise.all([gateway.describeSnapshot(ref), sources(gateway, client, ref)]);
  const marker = parseSnapshotMarker(info.description);
  const entry = s.entries.get(ref.snapshot);
  return {
    ...snapshotRow(ref, info, s),
    description: snapshotDescriptionText(info.description),
    partitionNames: info.partitionNames,
    s3Location: info.s3Location,
    labels: marker?.labels ?? {},
    ...(marker?.workflowId ? { madeBy: { workflowId: marker.workflowId, runId: marker.runId } } : {}),
    ...(entry ? { catalog: entry } : {}),
  };
}

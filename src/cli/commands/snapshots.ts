import {
  describeSnapshotDetail,
  listSnapshotRows,
  type Inventory,
  type SnapshotDetail,
  type SnapshotRow,
} from '../../lookups/snapshot-inventory';
import { DEFAULT_DB } from '../../milvus/names';
import type { Command, CommandContext } from '../command';
import { withClient, withMilvus } from '../connect';
import { formatCount, formatTime } from '../output/format';
import { renderCatalog } from '../output/render-catalog';
import { renderTable } from '../../shared/text';
import { readFlags } from '../read-flags';
import { UsageError } from '../usage-error';

function verified(r: SnapshotRow): string {
  return r.verifiedAt ? formatTime(r.verifiedAt) : 'no';
}

function exported(r: SnapshotRow): string {
  return r.exported ? `${r.exported.profile} ${formatTime(r.exported.at)}` : 'no';
}

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

export function renderInventory(inv: Inventory): string {
  if (!inv.collectionExists)
    return `${inv.catalog.db}.${inv.catalog.collection} is not in Milvus (dropped?); what its catalog holds (recover with: milvus-snapshot recover --collection ${inv.catalog.collection}):\n${renderCatalog(inv.catalog)}`;
  if (inv.snapshots.length === 0) return 'No snapshots.';
  const table = renderTable(
    ['NAME', 'CREATED (UTC)', 'ROWS', 'VERIFIED', 'PINNED', 'PROTECTED', 'EXPORTED'],
    inv.snapshots.map((r) => [
      r.name,
      formatTime(r.createTs),
      formatCount(r.rows),
      verified(r),
      r.pins.length ? r.pins.join(', ') : 'no',
      yesNo(r.protected),
      exported(r),
    ]),
  );
  return table;
}

export function renderSnapshot(d: SnapshotDetail): string {
  const rows: [string, string][] = [
    ['snapshot', `${d.db}.${d.collection}@${d.name}`],
    ['created', `${formatTime(d.createTs)} UTC (create_ts: the data up to this time)`],
    ['rows', formatCount(d.rows)],
    [
      'made by',
      d.ours
        ? `milvus-snapshot-worker${d.madeBy?.workflowId ? ` (${d.madeBy.workflowId})` : ''}`
        : 'someone else (no marker)',
    ],
    ['verified', d.verifiedAt ? `${formatTime(d.verifiedAt)} (${d.verifiedBy})` : 'no'],
    ['pinned', d.pins.length ? d.pins.join(', ') : 'no'],
    ['protected', yesNo(d.protected)],
    ['exported', exported(d)],
    [
      'labels',
      Object.entries(d.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '-',
    ],
    ['description', d.description || '-'],
    ['partitions', d.partitionNames.join(', ') || '-'],
    ['metadata', d.s3Location || '-'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

async function list({ flags, out }: CommandContext): Promise<number> {
  const { collection, db = DEFAULT_DB } = readFlags('snapshots list', flags, {
    required: ['collection'],
    optional: ['db'],
  });
  const ref = { db, collection: collection as string };
  const inventory = await withMilvus((gateway) =>
    withClient((client) => listSnapshotRows(gateway, client.client, ref)),
  );
  out.result(inventory, renderInventory);
  return 0;
}

async function describe({ flags, out }: CommandContext): Promise<number> {
  const {
    collection,
    name,
    db = DEFAULT_DB,
  } = readFlags('snapshots describe', flags, {
    required: ['collection', 'name'],
    optional: ['db'],
  });
  const ref = { db, collection: collection as string, snapshot: name as string };
  const detail = await withMilvus((gateway) =>
    withClient((client) => describeSnapshotDetail(gateway, client.client, ref)),
  );
  out.result(detail, renderSnapshot);
  return 0;
}

/** `snapshots list|describe`: a collection's snapshots from Milvus, with what the catalog and Temporal know. */
export const snapshotsCommand: Command = {
  usage: [
    [
      'snapshots list --collection C [--db D]',
      'name, created, rows, verified, pinned, protected, exported (dropped: the catalog)',
    ],
    ['snapshots describe --collection C --name N [--db D]', 'one snapshot in full'],
  ],
  run(ctx) {
    const [action] = ctx.args;
    if (action === 'list') return list(ctx);
    if (action === 'describe') return describe(ctx);
    throw new UsageError(`snapshots needs list or describe${action ? `, not ${action}` : ''}`);
  },
};

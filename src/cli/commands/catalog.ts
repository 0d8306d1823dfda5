import type { CatalogCloseOutcome } from '../../catalog/catalog-access';
import { DEFAULT_DB } from '../../milvus/names';
import type { Command, CommandContext } from '../command';
import { withClient } from '../connect';
import { readFlags, refuseUnknownFlags } from '../read-flags';
import { UsageError } from '../usage-error';

export function renderCloseOutcome(o: CatalogCloseOutcome): string {
  if (!o.closed) return `${o.reason}: nothing to close`;
  const left = [
    ...o.livePins.map(
      (p) => `  pin ${p.pinId} on ${p.snapshot} still holds (release it by hand or let it expire)`,
    ),
    ...o.bundles.map((b) => `  bundle of ${b.snapshot}: ${b.metadataUri}`),
  ];
  const head = `closed the catalog of ${o.db}.${o.collection} (${o.entries} entries${o.forced ? ', forced' : ''})`;
  return left.length ? `${head}; no longer recorded anywhere:\n${left.join('\n')}` : head;
}

/** `--force` and `--reason` are not Milvus names, so they are read apart from readFlags. */
function closeFlags(flags: CommandContext['flags']) {
  refuseUnknownFlags('catalog close', flags, ['cluster', 'collection', 'db', 'force', 'reason']);
  const { force, reason, ...names } = flags;
  if (force !== undefined && typeof force !== 'boolean') throw new UsageError('--force takes no value');
  if (reason !== undefined && typeof reason !== 'string') throw new UsageError('--reason needs a value');
  const {
    cluster,
    collection,
    db = DEFAULT_DB,
  } = readFlags('catalog close', names, {
    required: ['collection'],
    optional: ['cluster', 'db'],
  });
  const ref = { ...(cluster ? { cluster } : {}), db, collection: collection as string };
  return { ref, request: { force: force === true, reason } };
}

async function close({ flags, out }: CommandContext): Promise<number> {
  const { ref, request } = closeFlags(flags);
  const outcome = await withClient((c) =>
    c.closeCatalog(ref, { force: request.force, ...(request.reason ? { reason: request.reason } : {}) }),
  );
  out.result(outcome, renderCloseOutcome);
  return 0;
}

/**
 * `catalog close`: ends the catalog workflow of a collection nobody backs up any more. Refused
 * (exit 1, naming what it still records) while a pin of it holds or a bundle is recorded, unless
 * `--force`; a later backup of the collection starts a new, empty catalog.
 */
export const catalogCommand: Command = {
  usage: [
    [
      'catalog close --collection C [--db D] [--cluster NAME] [--force] [--reason TEXT]',
      'end the catalog of a retired collection (--cluster: the one of a non-default cluster; refused while pins hold or bundles are recorded, unless --force)',
    ],
  ],
  run(ctx) {
    const [action] = ctx.args;
    if (action === 'close') return close(ctx);
    throw new UsageError(`catalog needs close${action ? `, not ${action}` : ''}`);
  },
};

import { collectionName, dbName } from '../../milvus/names';
import { parseInput } from '../../contracts/parse-input';
import { z } from 'zod';
import type { Command } from '../command';
import { withClient } from '../connect';
import { operationInput } from '../operation-input';
import { renderCatalog } from '../output/render-catalog';
import { UsageError } from '../usage-error';

const listFlags = z.object({
  collection: collectionName.describe('the collection (dropped or not)'),
  db: dbName.describe('its database'),
});

/** `snapshots list --collection C [--db D]`: the catalog, from Temporal — works after a DropCollection. */
export const snapshotsCommand: Command = {
  usage: [
    [
      'snapshots list --collection C [--db D]',
      "the collection's snapshot catalog (also after it was dropped)",
    ],
  ],
  async run({ args, flags, out }) {
    if (args[0] !== 'list')
      throw new UsageError(
        `snapshots: unknown subcommand '${args[0] ?? ''}'; use: snapshots list --collection C`,
      );
    const ref = parseInput(
      listFlags,
      operationInput('snapshots', listFlags, flags, new Set()),
      'snapshots list flags',
    );
    return withClient(async (client) => {
      out.result(await client.catalog(ref), (catalog) => renderCatalog(catalog));
      return 0;
    });
  },
};

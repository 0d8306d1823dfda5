import { DEFAULT_DB } from '../../milvus/names';
import type { Command } from '../command';
import { checkWorker, withClient } from '../connect';
import { refuseUnknownFlags } from '../read-flags';
import type { MilvusCheckResult } from '../../activities/check-milvus';

function renderCheck(r: MilvusCheckResult): string {
  const state = r.healthy ? 'healthy' : 'NOT healthy';
  return `Milvus ${r.version} ${state}, reached through the worker; database ${r.db}: ${r.collections.length} collections${r.collections.length ? ` (${r.collections.join(', ')})` : ''}`;
}

export const checkCommand: Command = {
  usage: [['check [--db D]', 'Milvus reachable through the worker?']],
  run: ({ flags, out }) => {
    refuseUnknownFlags('check', flags, ['db']);
    return withClient(async (c) => {
      await checkWorker(c, flags);
      out.result(await c.checkMilvus((flags.db as string) ?? DEFAULT_DB), renderCheck);
      return 0;
    });
  },
};

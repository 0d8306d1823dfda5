import { DEFAULT_DB } from '../../milvus/names';
import type { Command } from '../command';
import { checkWorker, withClient } from '../connect';
import { asJson } from '../output/output';

export const checkCommand: Command = {
  usage: [['check [--db D]', 'Milvus reachable through the worker?']],
  run: ({ flags, out }) =>
    withClient(async (c) => {
      await checkWorker(c, flags);
      out.result(await c.checkMilvus((flags.db as string) ?? DEFAULT_DB), asJson);
      return 0;
    }),
};

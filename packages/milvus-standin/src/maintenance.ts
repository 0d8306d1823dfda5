/**
 * DropIndex and manual compaction (internal/proxy/task_index.go dropIndexTask,
 * internal/datacoord compaction_trigger.go / services.go ManualCompaction + GetCompactionState,
 * read not copied):
 * - an index cannot be dropped while the collection is loaded; dropping a missing index succeeds;
 * - ManualCompaction answers a compaction id; the stand-in merges the collection's sealed segments
 *   at once (rows deleted before stay gone), so GetCompactionState answers Completed.
 */
import { sealTs } from './snapshots';
import type { Engine } from './engine';
import { MilvusCode, reasons } from './milvus-codes';
import { MilvusFailure } from './rows';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
type Req = Record<string, any>;
interface Ctx {
  metadataDb: string | undefined;
}

export function maintenanceHandlers(engine: Engine) {
  const compactions = new Map<string, string>();
  return {
    DropIndex: (req: Req, ctx: Ctx) => {
      const coll = engine.collection(
        str(req.db_name) || ctx.metadataDb || undefined,
        str(req.collection_name),
      );
      if (coll.loaded) {
        throw new MilvusFailure(
          MilvusCode.ParameterInvalid,
          reasons.invalidParameter('index cannot be dropped, collection is loaded, please release it first'),
        );
      }
      const field = str(req.field_name);
      const name = str(req.index_name);
      coll.indexes = coll.indexes.filter(
        (i) => !((!field || i.fieldName === field) && (!name || i.indexName === name)),
      );
      engine.persist();
    },
    ManualCompaction: (req: Req, ctx: Ctx) => {
      const coll = str(req.collection_name)
        ? engine.collection(str(req.db_name) || ctx.metadataDb || undefined, str(req.collection_name))
        : engine.state.collections.find((c) => c.id === str(req.collectionID));
      if (!coll)
        throw new MilvusFailure(
          MilvusCode.CollectionNotFound,
          reasons.collectionNotFound(str(req.collectionID)),
        );
      const sealed = coll.segments.filter((s) => s.rows.length > 0);
      if (sealed.length > 0) {
        // datacoord meta.go completeMixCompactionMutation: the result segment starts at the earliest
        // position of its inputs, so a snapshot below the channel checkpoint still holds its rows.
        const earliest = sealed.reduce((a, b) => (sealTs(a) <= sealTs(b) ? a : b));
        coll.segments = [
          {
            id: engine.allocId(),
            rows: sealed.flatMap((s) => s.rows),
            sealedAtMs: earliest.sealedAtMs,
            flushedAtMs: Date.now(),
            sealedTs: sealTs(earliest).toString(),
          },
        ];
      }
      const id = engine.allocId();
      compactions.set(id, coll.id);
      engine.persist();
      return { compactionID: id, compactionPlanCount: sealed.length > 1 ? 1 : 0 };
    },
    GetCompactionState: (req: Req) => ({
      state: compactions.has(str(req.compactionID)) ? 'Completed' : 'UndefiedState',
      executingPlanNo: '0',
      timeoutPlanNo: '0',
      completedPlanNo: compactions.has(str(req.compactionID)) ? '1' : '0',
      failedPlanNo: '0',
    }),
  };
}

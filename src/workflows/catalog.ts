import { condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  catalogChangeSignal,
  catalogInputSchema,
  catalogQuery,
  type CatalogInput,
} from '../contracts/catalog';
import { applyCatalogChange, emptyCatalog } from '../catalog/apply-change';
import { parseWorkflowInput } from './parse-workflow-input';

/**
 * The snapshot catalog of one collection: runs for as long as the collection has backups, so it
 * is there after a DropCollection and after Temporal forgets closed workflows. It holds its state
 * in memory, applies `catalogChange` signals (idempotent) and answers `catalogQuery`; it
 * continues as new, carrying the catalog, when its history grows.
 */
export async function catalogWorkflow(input: CatalogInput): Promise<never> {
  const p = parseWorkflowInput(catalogInputSchema, input, 'catalog input');
  const state = p.state ?? emptyCatalog(p.db, p.collection);
  let changesThisRun = 0;
  setHandler(catalogQuery, () => state);
  setHandler(catalogChangeSignal, (change) => {
    applyCatalogChange(state, change);
    changesThisRun += 1;
  });
  await condition(() => changesThisRun >= p.changesPerRun || workflowInfo().continueAsNewSuggested);
  // Signals that arrive meanwhile make Temporal refuse this completion and redeliver them first.
  return continueAsNew<typeof catalogWorkflow>({
    db: p.db,
    collection: p.collection,
    changesPerRun: p.changesPerRun,
    state,
  });
}

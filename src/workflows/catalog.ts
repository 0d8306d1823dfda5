import { ApplicationFailure, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  catalogChangeSignal,
  catalogCloseInputSchema,
  catalogCloseUpdate,
  catalogInputSchema,
  catalogQuery,
  type CatalogCloseResult,
  type CatalogInput,
  type CatalogState,
} from '../contracts/catalog';
import { FailureType } from '../contracts/failures';
import { applyCatalogChange, emptyCatalog } from '../catalog/apply-change';
import { closeRefusal, whatCloseLeaves } from '../catalog/close-rule';
import { InputError, parseInput } from '../contracts/parse-input';
import { parseWorkflowInput } from './parse-workflow-input';

/** The close request, checked (a validator issues no command, so parseInput rather than parseWorkflowInput). */
function closeRequest(raw: unknown) {
  try {
    return parseInput(catalogCloseInputSchema, raw ?? {}, 'catalog close');
  } catch (err) {
    if (err instanceof InputError)
      throw ApplicationFailure.nonRetryable(err.message, FailureType.InvalidInput);
    throw err;
  }
}

/**
 * The snapshot catalog of one collection: runs for as long as the collection has backups, so it
 * is there after a DropCollection and after Temporal forgets closed workflows. It holds its state
 * in memory, applies `catalogChange` signals (idempotent) and answers `catalogQuery`; it
 * continues as new, carrying the catalog, when its history grows. `catalogClose` ends it, returning
 * the catalog, when it records no pin that still holds and no bundle (or when forced); the
 * validator refuses otherwise, so a refused close leaves no trace in the history. Old histories
 * never received the update, so they replay unchanged (no patch: no command changes for them).
 */
export async function catalogWorkflow(input: CatalogInput): Promise<CatalogState> {
  const p = parseWorkflowInput(catalogInputSchema, input, 'catalog input');
  const state = p.state ?? emptyCatalog(p.db, p.collection);
  let changesThisRun = 0;
  let closed: CatalogCloseResult | undefined;
  setHandler(catalogQuery, () => state);
  setHandler(catalogChangeSignal, (change) => {
    applyCatalogChange(state, change);
    changesThisRun += 1;
  });
  setHandler(
    catalogCloseUpdate,
    (raw) => {
      const { force } = closeRequest(raw);
      closed = {
        db: state.db,
        collection: state.collection,
        forced: force,
        entries: state.entries.length,
        ...whatCloseLeaves(state, Date.now()),
      };
      return closed;
    },
    {
      validator: (raw) => {
        const refusal = closeRequest(raw).force ? undefined : closeRefusal(state, Date.now());
        if (refusal) throw ApplicationFailure.nonRetryable(refusal, FailureType.CatalogStillProtects);
      },
    },
  );
  await condition(
    () => closed !== undefined || changesThisRun >= p.changesPerRun || workflowInfo().continueAsNewSuggested,
  );
  // Signals that arrive meanwhile make Temporal refuse this completion and redeliver them first.
  if (closed) return state;
  return continueAsNew<typeof catalogWorkflow>({
    db: p.db,
    collection: p.collection,
    changesPerRun: p.changesPerRun,
    state,
  });
}

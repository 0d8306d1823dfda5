/**
 * Milvus's name rules for collections and snapshots, as the proxy checks them
 * (internal/proxy/util.go validateCollectionNameOrAlias / ValidateCollectionName, and
 * ValidateSnapshotName, which applies the same rule to snapshot names): surrounding spaces are
 * stripped before the check, the first character is a letter or underscore, later characters are
 * letters, digits, underscores or `$`, at most 255 characters (proxy.maxNameLength). Failures are
 * ParameterInvalid (1100) with the proxy's "Invalid <entity> name: <name>. " prefix.
 */
import { MilvusCode, reasons } from './milvus-codes';
import type { StandinState } from './model';
import { MilvusFailure } from './rows';

const MAX_NAME_LENGTH = 255;

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

function validateName(entity: 'collection' | 'snapshot', raw: string): void {
  const name = raw.trim();
  // util.go validateCollectionNameOrAlias: Milvus words it "should be not empty" (Milvus 3.0 tests assert it).
  if (name === '') throw invalid(`${entity} name should be not empty`);
  const prefix = `Invalid ${entity} name: ${name}. `;
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid(`${prefix} the length of a ${entity} name must be less than ${MAX_NAME_LENGTH} characters`);
  }
  if (!/^[A-Za-z_]/.test(name)) {
    throw invalid(`${prefix} the first character of a ${entity} name must be an underscore or letter`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) {
    throw invalid(`${prefix} ${entity} name can only contain numbers, letters and underscores`);
  }
}

export const validateCollectionName = (name: string) => validateName('collection', name);
export const validateSnapshotName = (name: string) => validateName('snapshot', name);

/** merr.WrapErrParameterMissingMsg: code 1101 "<message>: missing parameter". */
export function missingParameter(message: string): MilvusFailure {
  return new MilvusFailure(MilvusCode.ParameterMissing, reasons.missingParameter(message));
}

/** Milvus's naming rule for collections, snapshots and the like (proxy validateName). */
export function checkName(entity: string, name: string): void {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid(`${entity} name should be not empty`);
  if (name.length > MAX_NAME_LENGTH)
    throw invalid(`the length of ${entity} name must be not greater than limit`);
  if (!/^[A-Za-z_]/.test(name))
    throw invalid(`the first character of ${entity} name must be an underscore or letter`);
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw invalid(`${entity} name can only contain numbers, letters and underscores`);
}

/**
 * rootcoord create_collection_task.go createCollectionTask.validateIfCollectionExists, shared by
 * CreateCollection and the restore target (snapshot_manager.go RestoreCollection creates it through
 * the same task): a new collection may not take an alias's name, and a name already taken by a
 * different collection is refused. Both are plain fmt.Errorf, so merr reports them as 65535.
 */
export function assertNotAlias(state: StandinState, db: string, name: string): void {
  const conflict = aliasConflict(state, db, name);
  if (conflict) throw new MilvusFailure(MilvusCode.Unexpected, conflict);
}

/** The validateIfCollectionExists refusal when `name` is an alias in `db`, else undefined. */
export function aliasConflict(state: StandinState, db: string, name: string): string | undefined {
  const taken = (state.aliases ?? []).some((a) => a.db === db && a.alias === name);
  return taken ? reasons.nameTakenByAlias(name) : undefined;
}

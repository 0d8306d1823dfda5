import { backupDescriptor } from './backup';
import { catalogDescriptor } from './catalog';
import { drillDescriptor } from './drill';
import { exportDescriptor } from './export';
import { fleetDescriptor } from './fleet';
import type { OperationDescriptor, OperationName } from './operation';
import { recoverDescriptor } from './recover';
import { restoreDescriptor } from './restore';
import { retentionDescriptor } from './retention';

/** Every operation's descriptor by name: what consumers that serve all operations read. */
export const OPERATION_DESCRIPTORS = {
  backup: backupDescriptor,
  restore: restoreDescriptor,
  retention: retentionDescriptor,
  drill: drillDescriptor,
  fleet: fleetDescriptor,
  export: exportDescriptor,
  recover: recoverDescriptor,
  catalog: catalogDescriptor,
} satisfies Record<OperationName, OperationDescriptor>;

/** The descriptor of an operation's workflow type, undefined for other types. */
export function descriptorOfWorkflowType(workflowType: string): OperationDescriptor | undefined {
  return Object.values(OPERATION_DESCRIPTORS).find((d) => d.workflowType === workflowType) as
    OperationDescriptor | undefined;
}

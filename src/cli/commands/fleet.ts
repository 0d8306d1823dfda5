import { fleetDescriptor, type FleetResult } from '../../contracts/fleet';
import { renderFleetResult } from '../output/fleet-summary';
import { operationCommand, type Operation } from '../run-operation';

export const fleetOperation: Operation<FleetResult> = {
  descriptor: fleetDescriptor,
  progress: async (c, id) => {
    const p = await c.fleetProgress(id);
    const finished = p.done + p.failed + (p.skipped ?? 0);
    const total = p.collections;
    return {
      label: `fleet ${p.operation}: ${finished}/${total ?? '?'} collections (${p.failed} failed${p.skipped ? `, ${p.skipped} skipped` : ''}), running ${p.running.join(', ') || '–'}`,
      percent: total ? (finished * 100) / total : undefined,
    };
  },
  render: renderFleetResult,
  exitCode: (result) => (result.totals.failed === 0 ? 0 : 1),
};

export const fleetCommand = operationCommand(fleetOperation);

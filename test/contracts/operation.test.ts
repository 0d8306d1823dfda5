import type { BackupProgress } from '../../src/contracts/backup';
import { OPERATION_NAMES, operationOfWorkflowType, stepPercent } from '../../src/contracts/operation';
import { OPERATION_DESCRIPTORS } from '../../src/contracts/operations';
import { backupProgressLabel } from '../../src/cli/commands/backup';
import { COMMANDS } from '../../src/cli/commands/registry';
import { renderStatus } from '../../src/cli/commands/status';
import { progressBar } from '../../src/cli/output/progress';
import * as workflows from '../../src/workflows';

/**
 * Each operation is described once; these tests catch a consumer that keeps its own copy again.
 */
describe('operation descriptors', () => {
  it('name every operation, each by the workflow function the worker registers', () => {
    expect(Object.keys(OPERATION_DESCRIPTORS).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const [name, descriptor] of Object.entries(OPERATION_DESCRIPTORS)) {
      expect(descriptor.name).toBe(name);
      expect(typeof (workflows as Record<string, unknown>)[descriptor.workflowType]).toBe('function');
      expect(operationOfWorkflowType(descriptor.workflowType)).toBe(name);
    }
    expect(operationOfWorkflowType('checkMilvusWorkflow')).toBeUndefined();
    // retention's per-collection child is part of a retention run (metrics, summaries, status)
    expect(operationOfWorkflowType('retentionApplyWorkflow')).toBe('retention');
  });

  it("give the CLI its commands: the help line is the descriptor's", () => {
    for (const name of ['backup', 'restore', 'retention', 'drill', 'fleet', 'export', 'recover'] as const) {
      expect(COMMANDS[name].usage[0]).toEqual([name, OPERATION_DESCRIPTORS[name].about]);
    }
  });

  /**
   * Every step a backup run reports, in the order the workflow goes through them (a step added to
   * BackupProgress without a place here does not compile). The bar must only move forward: a step
   * the progress does not know — as `export` was once, in a hand-kept list in the CLI — drops it to 0 %.
   */
  const BACKUP_ORDER: Record<BackupProgress['step'], number | null> = {
    starting: 0,
    inspect: 1,
    flush: 2,
    count: 3,
    create: 4,
    verify: 5,
    restoreCount: 6,
    catalog: 7,
    protect: 8,
    export: 9,
    done: 10,
    compensating: null,
  };

  it('move the backup bar forward through every step, export included, to 100 % when done', () => {
    const ordered = Object.entries(BACKUP_ORDER)
      .filter((e): e is [BackupProgress['step'], number] => e[1] !== null)
      .sort((a, b) => a[1] - b[1]);
    const percents = ordered.map(([step]) => backupProgressLabel({ step, durationsMs: {} }).percent ?? -1);
    expect(percents[0]).toBe(0);
    expect(percents[percents.length - 1]).toBe(100);
    const increasing = percents.every((p, i) => i === 0 || p > percents[i - 1]);
    expect({ steps: ordered.map(([step]) => step), percents, increasing }).toMatchObject({
      increasing: true,
    });
    expect(backupProgressLabel({ snapshot: 's1', step: 'export', durationsMs: {} })).toEqual({
      label: 'backup s1: export',
      percent: stepPercent(OPERATION_DESCRIPTORS.backup.steps, 'export'),
    });
    expect(stepPercent(OPERATION_DESCRIPTORS.backup.steps, 'export')).toBeGreaterThan(80);
  });

  it('scope run and schedule ids by cluster with one rule: a segment only for a named cluster', () => {
    const { backup, retention, drill, fleet, restore, export: exp, recover, catalog } = OPERATION_DESCRIPTORS;
    const parse = <D extends (typeof OPERATION_DESCRIPTORS)[keyof typeof OPERATION_DESCRIPTORS]>(
      d: D,
      raw: object,
    ) => d.input.parse(raw) as never;
    const onDr = { cluster: 'dr', collection: 'docs' };
    expect(backup.schedule.scheduleId(parse(backup, { collection: 'docs' }))).toBe(
      'backup-schedule:default.docs',
    );
    expect(backup.schedule.scheduleId(parse(backup, onDr))).toBe('backup-schedule:dr/default.docs');
    expect(backup.workflowId(parse(backup, { ...onDr, snapshot: 's1' }))).toBe('backup:dr/default.docs:s1');
    const policy = { keepLast: 1 };
    expect(retention.schedule.scheduleId(parse(retention, { ...onDr, policy }))).toBe(
      'retention-schedule:dr/default.docs',
    );
    expect(retention.workflowId(parse(retention, { ...onDr, policy }))).toBe('retention:dr/default.docs');
    expect(drill.schedule.scheduleId(parse(drill, onDr))).toBe('drill-schedule:dr/default.docs');
    expect(drill.workflowId(parse(drill, onDr), 'u1')).toBe('drill:dr/default.docs:u1');
    const fleetOnDr = { operation: 'backup', collectionPattern: 'd*', options: { cluster: 'dr' } };
    expect(fleet.schedule.scheduleId(parse(fleet, fleetOnDr))).toBe('fleet-schedule:backup:dr/default.d*');
    expect(fleet.workflowId(parse(fleet, fleetOnDr))).toBe('fleet:backup:dr/default.d*');
    expect(fleet.workflowId(parse(fleet, { ...fleetOnDr, options: {} }))).toBe('fleet:backup:default.d*');
    const restoreOnDr = { cluster: 'dr', snapshot: 's1', sourceCollection: 'docs', targetCollection: 'r' };
    expect(restore.workflowId(parse(restore, restoreOnDr))).toBe('restore:dr/default.r');
    const exportOnDr = { ...onDr, snapshot: 's1', profile: 'offsite' };
    expect(exp.workflowId(parse(exp, exportOnDr))).toBe('export:dr/default.docs.s1@offsite');
    expect(recover.workflowId(parse(recover, { ...onDr, as: 'back' }))).toBe('recover:dr/default.back');
    expect(recover.workflowId(parse(recover, { collection: 'docs' }))).toBe('recover:default.docs');
    expect(catalog.workflowId(parse(catalog, { collection: 'docs' }))).toBe('catalog:default.docs');
  });

  it("show a running backup's step in `status` with the bar the command shows, export included", () => {
    const running = {
      workflowId: 'backup:default.docs:s1',
      type: OPERATION_DESCRIPTORS.backup.workflowType,
      status: 'RUNNING',
      startTime: new Date().toISOString(),
    };
    const exporting: BackupProgress = { snapshot: 's1', step: 'export', durationsMs: {} };
    const { label, percent } = backupProgressLabel(exporting);
    const lines = renderStatus({ ...running, progress: exporting }).split('\n');
    expect(lines[1]).toBe(`${progressBar(percent ?? -1)} ${label}`);
    expect(lines[1]).toContain('backup s1: export');
    expect(percent).toBeGreaterThan(80);
  });
});

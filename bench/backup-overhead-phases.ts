import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/** Where one run's wall time went, in ms, from its history's event times and the client's clock. */
export interface RunPhases {
  /** Client start call → the first workflow task reaches the worker. */
  start: number;
  /** Workflow tasks on the worker (started → completed): workflow code and the local activities' RPCs. */
  workflowTasks: number;
  /** Activities (started → completed): flush and create, their RPCs included. */
  activities: number;
  /** Server hand-offs between those: activity done → next workflow task started, task scheduled → started. */
  dispatch: number;
  /** Workflow completed → the client's result call returns. */
  result: number;
  workflowTaskCount: number;
}

function ms(event: HistoryEvent): number {
  const time = event.eventTime!;
  return Number(time.seconds) * 1000 + (time.nanos ?? 0) / 1e6;
}

/** Splits a run's wall time (client clock `startedAt` → `resultAt`, same machine as the server). */
export function runPhases(events: HistoryEvent[], startedAt: number, resultAt: number): RunPhases {
  const sumSpans = (from: number, to: number) => {
    let total = 0;
    let open: number | undefined;
    for (const event of events) {
      if (event.eventType === from) open = ms(event);
      else if (event.eventType === to && open !== undefined) {
        total += ms(event) - open;
        open = undefined;
      }
    }
    return total;
  };
  const firstTask = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const completed = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  if (!firstTask || !completed) throw new Error('history has no workflow task or no completion');
  const start = ms(firstTask) - startedAt;
  const workflowTasks = sumSpans(
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  );
  const activities = sumSpans(
    EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  );
  const result = resultAt - ms(completed);
  return {
    start,
    workflowTasks,
    activities,
    dispatch: resultAt - startedAt - start - workflowTasks - activities - result,
    result,
    workflowTaskCount: events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
      .length,
  };
}

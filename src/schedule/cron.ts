// The hunt schedule: a cron pattern (five fields, or six with seconds first), always read in UTC so that a
// schedule means the same on every server and in every analyst's head. croner parses and times it.
import { Cron } from 'croner';

export const SCHEDULE_TIMEZONE = 'UTC';
const OPTIONS = { timezone: SCHEDULE_TIMEZONE, mode: '5-or-6-parts' } as const;

/** Why a pattern is not a schedule, or undefined when it is one that fires at least once more. */
export function scheduleProblem(pattern: string): string | undefined {
  try {
    const job = new Cron(pattern, { ...OPTIONS, paused: true });
    if (job.nextRun() === null) return 'never fires';
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
  }
}

/** The next time the schedule fires after `after`, or null. */
export function nextRunAfter(pattern: string, after: Date): Date | null {
  return new Cron(pattern, { ...OPTIONS, paused: true }).nextRun(after);
}

/** Starts calling `tick` on the schedule; croner's own overlap protection is off, the caller keeps its lock. */
export function startCron(pattern: string, tick: () => Promise<unknown>, onError: (err: unknown) => void): { stop(): void; nextRun(): Date | null } {
  const job = new Cron(pattern, { ...OPTIONS, catch: onError }, async () => {
    await tick();
  });
  return { stop: () => job.stop(), nextRun: () => job.nextRun() };
}

import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';

/** Whether something still accepts connections at `host:port`. */
export function portOpen(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.split(':').pop())];
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => done(socket.destroy() !== undefined));
    socket.once('error', () => done(false));
  });
}

/**
 * Processes still in a script's group, or with `marker` (e.g. its data dir) in their arguments.
 * Zombies (`<defunct>`) are not counted: they already exited and hold nothing; only their entry
 * waits for the reaper (tsx's esbuild child, orphaned when the job's node process exits).
 */
export function leftovers(pgid: number, marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => {
      const [, group] = line.trim().split(/\s+/);
      if (line.includes('<defunct>')) return false;
      return Number(group) === pgid || (line.includes(marker) && !line.includes('ps -eo'));
    });
}

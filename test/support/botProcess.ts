// The bot as it runs (`npm run start:bot`, src/index.ts) in a child process, for tests of what only a real
// process shows: start-up logs, signals, and settings Node reads only at start (NODE_EXTRA_CA_CERTS). Resolves
// once the bot says where it listens; the process is killed after the test if it is still running.
import type { TestContext } from 'node:test';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PROJECT_ROOT } from '../../src/config.js';

export interface BotProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** http://127.0.0.1:PORT, as the bot printed it. */
  readonly url: string;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
}

export async function startBotProcess(t: TestContext, env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TRIAGE_ANALYSTS: '', TRIAGE_LEADS: '', HUNT_SCHEDULE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = stderr.match(/^bot listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages$/m);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bot exited with ${code} before listening:\n${stderr}`)));
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr };
}

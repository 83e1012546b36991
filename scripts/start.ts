// `npm start`: the bot and the Microsoft 365 Agents Playground against it, so an analyst can chat at once.
// The launch pieces are exported because the end-to-end tests start the same two processes the same way.
//
// Children run in their own process groups: a Ctrl+C in the terminal reaches only this script, which then
// stops each child exactly once (the bot treats a second signal as "exit without finishing turns").
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, PROJECT_ROOT } from '../src/config.js';
import { loadCommands } from '../manifest/appManifest.js';

export const DEFAULT_PLAYGROUND_PORT = 56150;
const OUTPUT_TAIL_BYTES = 64 * 1024;

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** The last 64 KB of the child's stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** Resolves when the child has exited, however it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly hasExited: boolean;
  /** From now on, also copy the child's output to `stream` (what came before stays in output()). */
  forwardTo(stream: NodeJS.WritableStream): void;
  /** SIGTERM to the child's process group; SIGKILL if it is still there after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
// Last resort when the parent dies of an exception: no child may outlive it holding a port.
process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone between the check and the kill.
  }
}

export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string },
): ManagedProcess {
  const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  live.add(child);
  let tail = '';
  let forward: NodeJS.WritableStream | undefined;
  const collect = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
    forward?.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('exit', (code, signal) => {
      hasExited = true;
      live.delete(child);
      resolveExit({ code, signal });
    });
    child.on('error', (err) => {
      collect(Buffer.from(`${name}: ${err.message}\n`));
      hasExited = true;
      live.delete(child);
      resolveExit({ code: null, signal: null });
    });
  });
  return {
    name,
    pid: child.pid,
    output: () => tail,
    exited,
    get hasExited() {
      return hasExited;
    },
    forwardTo(stream) {
      forward = stream;
    },
    async stop(graceMs = 10_000) {
      if (hasExited) return;
      killGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
      const outcome = await Promise.race([exited, gaveUp]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * Polls `url` until it answers 2xx. Bounded by timeoutMs, and it fails at once when `proc` exits first, so a
 * crashed child is reported with its own output instead of a timeout.
 */
export async function waitForHttp(url: string, opts: { timeoutMs: number; proc?: ManagedProcess }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (opts.proc?.hasExited) {
      throw new Error(`${opts.proc.name} exited before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    if (Date.now() + delay > deadline) throw new Error(`${url} did not answer within ${opts.timeoutMs} ms (${last})`);
    // Either the child exits (checked next round) or the delay passes: whichever comes first.
    await Promise.race([new Promise((r) => setTimeout(r, delay)), opts.proc?.exited ?? new Promise(() => {})]);
  }
}

/** A port that was free a moment ago (the playground needs a concrete bot port, so 0 will not do). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Refuses a port something else already holds: polling it would find that other server and call it ours. */
export function assertPortFree(host: string, port: number, what: string): Promise<void> {
  return new Promise((resolveFree, reject) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`${what}: ${host}:${port} is not available (${e.code ?? e.message})`)),
    );
    srv.listen(port, host, () => srv.close(() => resolveFree()));
  });
}

/** 0.0.0.0 and :: are listen addresses, not places to connect to. */
export function connectHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

export function startBotProcess(opts: { env: NodeJS.ProcessEnv }): ManagedProcess {
  return spawnManaged('bot', process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'index.ts')], {
    env: opts.env,
    cwd: PROJECT_ROOT,
  });
}

export function startPlaygroundProcess(opts: {
  endpoint: string;
  port: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}): ManagedProcess {
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  const args = [cli, '-e', opts.endpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'];
  return spawnManaged('agents playground', process.execPath, args, {
    // BROWSER=none: it must not try to open a browser on a headless machine; the URL is printed instead.
    // LOGFILE: by default it writes ./devTools/*.log into whatever directory it was started from.
    env: { ...opts.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: opts.logFile },
    cwd: opts.cwd,
  });
}

function fail(message: string, ...procs: ManagedProcess[]): never {
  process.stderr.write(`npm start: ${message}\n`);
  for (const p of procs) {
    const out = p.output().trim();
    if (out) process.stderr.write(`--- ${p.name} output ---\n${out}\n`);
  }
  process.exit(1);
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'playground-port': { type: 'string' } } });
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  const pgPort = Number(values['playground-port'] ?? DEFAULT_PLAYGROUND_PORT);
  if (!Number.isInteger(pgPort) || pgPort < 1 || pgPort > 65535) {
    fail(`--playground-port ${JSON.stringify(values['playground-port'])}: must be a port number`);
  }
  const host = connectHost(config.server.host);
  const botPort = config.server.port === 0 ? await freePort(host) : config.server.port;
  await assertPortFree(config.server.host, botPort, 'bot (PORT)').catch((e: Error) => fail(e.message));
  await assertPortFree('127.0.0.1', pgPort, 'playground (--playground-port)').catch((e: Error) => fail(e.message));

  const bot = startBotProcess({ env: { ...env, PORT: String(botPort) } });
  let stopping = false;
  const procs: ManagedProcess[] = [bot];
  const stopAll = async (): Promise<void> => {
    await Promise.all(procs.map((p) => p.stop(p === bot ? 15_000 : 5_000)));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\nnpm start: ${signal}: stopping the playground and the bot...\n`);
      void stopAll().then(() => process.exit(0));
    });
  }

  try {
    await waitForHttp(`http://${host}:${botPort}/healthz`, { timeoutMs: 90_000, proc: bot });
  } catch (e) {
    if (stopping) return; // Ctrl+C during start-up: the signal handler is already stopping everything.
    await stopAll();
    const code = bot.hasExited ? ` (exit ${JSON.stringify((await bot.exited).code)})` : '';
    fail(`the bot did not start${code}: ${(e as Error).message}`, bot);
  }
  // Its start-up lines (who may act, the pinned clock) matter to the analyst; so do its later logs.
  process.stderr.write(bot.output());
  bot.forwardTo(process.stderr);
  const endpoint = `http://${host}:${botPort}/api/messages`;
  const playground = startPlaygroundProcess({
    endpoint,
    port: pgPort,
    env,
    cwd: PROJECT_ROOT,
    logFile: resolve(PROJECT_ROOT, 'var', 'agentsplayground.log'),
  });
  procs.push(playground);
  try {
    await waitForHttp(`http://127.0.0.1:${pgPort}/`, { timeoutMs: 60_000, proc: playground });
  } catch (e) {
    if (stopping) return;
    await stopAll();
    fail(`the Agents Playground did not start: ${(e as Error).message}`, playground);
  }

  process.stderr.write(
    [
      '',
      `  Bot:               ${endpoint}`,
      `  Agents Playground: http://localhost:${pgPort}   <- open this in a browser`,
      `  Try: ${loadCommands().map((c) => c.title).join(', ')}.   Ctrl+C stops both.`,
      '',
    ].join('\n') + '\n',
  );

  // Either child dying on its own ends the session: a playground without a bot (or the reverse) is useless.
  const first = await Promise.race(procs.map((p) => p.exited.then((how) => ({ p, how }))));
  if (stopping) return;
  stopping = true;
  await stopAll();
  fail(`${first.p.name} exited unexpectedly (${JSON.stringify(first.how)})`, first.p);
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  await main(process.argv.slice(2), process.env);
}

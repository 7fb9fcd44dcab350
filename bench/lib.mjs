// Helpers for the benchmarks: child processes, the sandbox in its own process, peak memory.
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const HAS_GNU_TIME = existsSync('/usr/bin/time');

/** Environment for the importer: no credentials or endpoint leaking in from the shell, plain output. */
export function importerEnv(extra = {}) {
  const env = {...process.env, NO_COLOR: '1', ...extra};
  for (const name of ['SEAM_API_KEY', 'SEAM_PERSONAL_ACCESS_TOKEN', 'SEAM_WORKSPACE_ID', 'SEAM_ENDPOINT']) delete env[name];
  return env;
}

/**
 * Runs a command to its end and times it (wall clock, from spawn to exit). With `measureRss`,
 * runs it under GNU time and reads "Maximum resident set size"; without GNU time, polls
 * /proc/PID/status for VmHWM instead (a peak the kernel keeps, so polling cannot miss it,
 * as long as the process is still there at the last poll).
 */
export function run(command, args, {env = process.env, cwd = ROOT, measureRss = false, input} = {}) {
  return new Promise((resolve, reject) => {
    const useTime = measureRss && HAS_GNU_TIME;
    const [file, argv] = useTime ? ['/usr/bin/time', ['-v', command, ...args]] : [command, args];
    const began = performance.now();
    const child = spawn(file, argv, {env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']});
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let vmHwmKb = 0;
    const poll =
      measureRss && !useTime
        ? setInterval(() => {
            try {
              const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
              if (match) vmHwmKb = Math.max(vmHwmKb, Number(match[1]));
            } catch {
              // Gone already.
            }
          }, 20)
        : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - began) / 1000;
      if (poll) clearInterval(poll);
      let peakRssMb;
      let cpuSeconds;
      if (useTime) {
        const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (match) peakRssMb = Number(match[1]) / 1024;
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && system) cpuSeconds = Number(user[1]) + Number(system[1]);
      } else if (measureRss) {
        peakRssMb = vmHwmKb / 1024;
      }
      resolve({code, signal, seconds, stdout, stderr, peakRssMb, cpuSeconds});
    });
  });
}

/** Runs the built CLI. */
export function runCli(args, options = {}) {
  return run(process.execPath, [CLI, ...args], {...options, env: importerEnv(options.env)});
}

/** Parses the `--json` summary: the last line of stdout that is a JSON object. */
export function jsonSummary(stdout) {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  return line === undefined ? undefined : JSON.parse(line);
}

/**
 * `seam-import sandbox` in its own process, so its event loop does not share the importer's
 * (and the bench's timers do not disturb it). Resolves once it prints its listening line.
 */
export function startSandboxProcess(flags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...flags], {
      env: importerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const fail = (why) => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox did not start (${why}): ${out}${err}`));
    };
    const timer = setTimeout(() => fail('timeout'), 20_000);
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => fail(`exit ${code}`));
    child.stdout.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+) \(api key: ([^)]+)\)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = match[1];
      const apiKey = match[2];
      const get = async (path) => {
        const response = await fetch(new URL(path, url));
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        return response.json();
      };
      resolve({
        url,
        apiKey,
        pid: child.pid,
        /** CPU seconds (user + system) the sandbox process has used so far; undefined off Linux. */
        cpuSeconds: () => processCpuSeconds(child.pid),
        stats: () => get('/_sandbox/stats'),
        identities: () => get('/_sandbox/identities'),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** User + system CPU seconds of a live process, from /proc/PID/stat (Linux); undefined elsewhere. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
// USER_HZ: 100 on every mainstream Linux build.
const CLOCK_TICKS = 100;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run whose `key` is the median (the lower middle one of an even count). */
export function medianBy(runs, key) {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export const fmt = {
  int: (n) => Math.round(n).toLocaleString('en-US'),
  num: (n, digits = 2) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits)),
  pct: (n) => `${(n * 100).toFixed(1)}%`,
  s: (n) => `${n.toFixed(2)} s`,
  mb: (n) => (n === undefined ? 'n/a' : `${n.toFixed(0)} MB`),
};

export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

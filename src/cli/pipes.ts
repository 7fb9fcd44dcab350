/**
 * A reader that goes away (`seam-import … 2>&1 | head -1`, a closed terminal, a log pipe that
 * dies; and a terminal window closed, EIO) makes the next write to that stream fail with EPIPE, an 'error' event nobody handles:
 * the process died mid-import, requests in flight, with no results file. The import matters
 * more than its progress lines: after EPIPE the stream takes writes and drops them, and the run
 * goes on to write its results and exit with its own code.
 */
export function survivePipeClose(stream: NodeJS.WriteStream): void {
  // EIO: a terminal that was closed (SIGHUP) under a run that goes on to write its results.
  // ENOSPC: a CI log on a full disk (2>>job.log): the import crashed with exit 1, no results
  // file and a lock left, its people made. Any failure to write is survived the same way.
  stream.on('error', () => {
    stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  });
}

/** A terminal closed under the prompt or the UI fails its reads with EIO: nothing more will come from it. */
export function surviveInputClose(stream: NodeJS.ReadStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EIO') throw error;
  });
}

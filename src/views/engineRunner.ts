// Runs engine jobs on a worker thread (dist/engineWorker.js), one at a time, keeping only the newest waiting job of
// each kind: a learner turning a knob five times gets the fifth table, not five. A running job can be stopped (the
// worker is ended and a fresh one takes the next job), and a newer job of a kind the owner names takes over from a
// long one of its kind the same way. Falls back to the main thread, where a running job cannot be stopped.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { runEngineJob } from './engineJobs';
import type { EngineJob, EngineJobKind, EngineJobResult } from './engineJobs';

interface Queued {
  id: number;
  job: EngineJob;
  resolve(result: EngineJobResult | undefined): void;
  /** performance.now() when it was sent to the worker (undefined while it waits). */
  startedAt?: number;
}

export interface EngineRunnerOptions {
  /**
   * Kinds whose running job a newer one of the same kind replaces once it has run `takeOverAfterMs` (its answer
   * would be thrown away anyway: a page shows only its newest request's). Default: none.
   */
  takeOver?: readonly EngineJobKind[];
  /**
   * How long a job runs before a newer one of its kind may end it (default 250 ms). Below it, letting it finish
   * costs less than starting a new worker.
   */
  takeOverAfterMs?: number;
}

export class EngineRunner {
  private worker: Worker | undefined;
  private running: Queued | undefined;
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private workerFailed = false;
  /** Worker deaths so far; after a few, jobs run on the calling thread rather than crash in a loop. */
  private crashes = 0;
  private disposed = false;

  /**
   * @param workerFile absolute path of dist/engineWorker.js; undefined (or a missing file) runs jobs on the calling
   *   thread instead, which blocks it for as long as the job takes.
   */
  constructor(
    private readonly workerFile: string | undefined,
    private readonly log: (line: string) => void = () => undefined,
    private readonly options: EngineRunnerOptions = {},
  ) {}

  /**
   * Runs a job. Resolves with its result, or with undefined when a newer job of the same kind replaced it before it
   * started (the caller then has nothing to answer: the newer job's answer follows).
   */
  run(job: EngineJob): Promise<EngineJobResult | undefined> {
    return new Promise((resolve) => {
      if (this.disposed) {
        resolve({ kind: job.kind, ok: false, error: 'the extension is shutting down' });
        return;
      }
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const waiting = this.queue[i] as Queued;
        if (waiting.job.kind === job.kind) {
          this.queue.splice(i, 1);
          waiting.resolve(undefined);
        }
      }
      this.queue.push({ id: this.nextId++, job, resolve });
      const running = this.running;
      if (
        running?.startedAt !== undefined &&
        running.job.kind === job.kind &&
        this.options.takeOver?.includes(job.kind) === true &&
        performance.now() - running.startedAt >= (this.options.takeOverAfterMs ?? 250)
      ) {
        this.stopRunning(`a newer ${job.kind} job took over`);
      }
      this.pump();
    });
  }

  /**
   * Stops the jobs of `kind`: a waiting one is dropped, and a running one on the worker is ended with its worker (a
   * fresh worker takes the next job). Each resolves with undefined, as a replaced job does. Returns whether a job
   * was stopped; a job running on the calling thread (no worker) cannot be, and goes on.
   */
  cancel(kind: EngineJobKind): boolean {
    let stopped = false;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const waiting = this.queue[i] as Queued;
      if (waiting.job.kind === kind) {
        this.queue.splice(i, 1);
        waiting.resolve(undefined);
        stopped = true;
      }
    }
    if (this.running?.job.kind === kind && this.running.startedAt !== undefined) {
      this.stopRunning(`${kind} job stopped`);
      stopped = true;
      this.pump();
    }
    return stopped;
  }

  /** Ends the worker holding the running job (not counted as a crash) and resolves that job with undefined. */
  private stopRunning(why: string): void {
    const job = this.running;
    const worker = this.worker;
    if (!job || !worker) return;
    // Cleared first, so the worker's exit is not taken for a crash (see ensureWorker).
    this.worker = undefined;
    this.running = undefined;
    void worker.terminate();
    this.log(`${why}: ended the engine worker after ${Math.round(performance.now() - (job.startedAt ?? 0))} ms`);
    job.resolve(undefined);
  }

  /** True while the worker thread is in use (false: jobs run on the calling thread). */
  get usesWorker(): boolean {
    return !this.workerFailed && this.workerFile !== undefined && existsSync(this.workerFile);
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    const worker = this.ensureWorker();
    if (worker) {
      next.startedAt = performance.now();
      worker.postMessage({ id: next.id, job: next.job });
      return;
    }
    // No worker: run here, after the current turn of the event loop so the caller's bookkeeping comes first.
    setImmediate(() => this.settle(next.id, runEngineJob(next.job)));
  }

  private settle(id: number, result: EngineJobResult): void {
    const job = this.running;
    if (!job || job.id !== id) return;
    this.running = undefined;
    job.resolve(result);
    this.pump();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    if (!this.usesWorker || this.workerFile === undefined) return undefined;
    try {
      const worker = new Worker(this.workerFile);
      // A stopped worker's late answer is ignored: it is no longer this.worker.
      worker.on('message', (m: { id: number; result: EngineJobResult }) => {
        if (this.worker === worker) this.settle(m.id, m.result);
      });
      worker.on('error', (err) => {
        if (this.worker !== worker) return;
        this.log(`engine worker failed: ${err.message}`);
        this.dropWorker(err.message);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker && !this.disposed) {
          this.log(`engine worker exited with code ${code}`);
          this.dropWorker(`the engine worker exited (code ${code})`);
        }
      });
      // The worker must not keep the extension host alive on shutdown.
      worker.unref();
      this.worker = worker;
      return worker;
    } catch (err) {
      this.workerFailed = true;
      this.log(`engine worker unavailable (${err instanceof Error ? err.message : String(err)}); running jobs on the main thread`);
      return undefined;
    }
  }

  /** The worker died: fail the job it held, and start a new worker for the next one. */
  private dropWorker(reason: string): void {
    this.worker = undefined;
    if (++this.crashes >= 3) {
      this.workerFailed = true;
      this.log('engine worker failed three times; running jobs on the main thread from now on');
    }
    const job = this.running;
    if (job) this.settle(job.id, { kind: job.job.kind, ok: false, error: reason });
  }

  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    for (const q of this.queue.splice(0)) q.resolve(undefined);
    this.running?.resolve(undefined);
    this.running = undefined;
  }
}

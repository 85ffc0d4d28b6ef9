// Entry of dist/engineWorker.js: a worker thread that runs engine jobs off the extension host's main thread, so a
// 100,000-operation comparison (seconds of work) never freezes VS Code. One job at a time, answered in order.
import { parentPort } from 'node:worker_threads';
import { runEngineJob } from './engineJobs';
import type { EngineJob } from './engineJobs';

/** A job with the id the runner matches the answer to. */
export interface WorkerRequest {
  id: number;
  job: EngineJob;
}

parentPort?.on('message', (request: WorkerRequest) => {
  parentPort?.postMessage({ id: request.id, result: runEngineJob(request.job) });
});

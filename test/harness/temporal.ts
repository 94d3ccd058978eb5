// Temporal client and worker helpers for tests, on the sandbox's dev server.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: address() });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

/** Runs `fn` while a worker on a fresh task queue polls; the worker stops when `fn` settles. */
export async function withWorker<T>(options: Omit<WorkerOptions, 'taskQueue' | 'connection'>, fn: (taskQueue: string, client: Client) => Promise<T>): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: address() });
  try {
    const worker = await Worker.create({ ...options, connection, taskQueue });
    return await withClient((client) => worker.runUntil(fn(taskQueue, client)));
  } finally {
    await connection.close();
  }
}

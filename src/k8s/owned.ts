// Creating and deleting a run's own objects, with ownership checked: an object of the same name that
// belongs to another run (or to nobody of ours) is never adopted, changed or deleted.
import { ApplicationFailure } from '@temporalio/common';
import type { KubernetesObject } from '@kubernetes/client-node';
import { failureTypes } from '../core/failures';
import { notOwnedBy } from '../core/labels';
import type { RunIdentity } from '../core/names';
import type { Clients } from './client';
import { describe, fieldManager } from './apply';
import { isConflict, isNotFound, toFailure } from './errors';

/**
 * Secrets are never read back (reading one returns its data). Their names carry the run key, which
 * mixes in the execution Temporal chose, so a Secret of that name can only be this run's own.
 */
const unreadable = (obj: KubernetesObject) => obj.kind === 'Secret';

/** What a read needs: the object's kind, version, name and namespace. */
const header = (obj: KubernetesObject) => ({ apiVersion: obj.apiVersion!, kind: obj.kind!, metadata: { name: obj.metadata!.name!, namespace: obj.metadata?.namespace } });

async function readIfExists(c: Clients, obj: KubernetesObject): Promise<KubernetesObject | undefined> {
  try {
    return await c.objects.read(header(obj));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toFailure(err, `reading ${describe(obj)}`);
  }
}

/** Creates `obj`, or returns this run's own earlier copy of it; refuses one that is someone else's. */
export async function createOwned<T extends KubernetesObject>(c: Clients, obj: T, run: RunIdentity): Promise<void> {
  try {
    await c.objects.create(obj, undefined, undefined, fieldManager);
    return;
  } catch (err) {
    if (!isConflict(err)) throw toFailure(err, `creating ${describe(obj)}`);
  }
  if (unreadable(obj)) return;
  const existing = await readIfExists(c, obj);
  // Taken a moment ago and already gone: a retry creates it afresh.
  if (!existing) throw ApplicationFailure.retryable(`${describe(obj)} was deleted while being created`, failureTypes.jobGone);
  const why = notOwnedBy(existing.metadata, run);
  if (why) throw ApplicationFailure.nonRetryable(`${describe(obj)} already exists and ${why}; this run will not use or change it: delete it, or run in another namespace`, failureTypes.conflict);
}

/**
 * Deletes `obj` if it is this run's own, by its uid, so an object recreated meanwhile by someone
 * else survives. Returns why it was left alone, or undefined when it is gone.
 */
export async function deleteOwned(c: Clients, obj: KubernetesObject, run: RunIdentity): Promise<string | undefined> {
  let uid: string | undefined;
  if (!unreadable(obj)) {
    const existing = await readIfExists(c, obj);
    if (!existing) return undefined;
    const why = notOwnedBy(existing.metadata, run);
    if (why) return `left ${describe(obj)}: ${why}`;
    uid = existing.metadata?.uid;
  }
  try {
    // With a body, the API server reads the options from it alone (query parameters are ignored).
    await c.objects.delete(header(obj), undefined, undefined, undefined, undefined, undefined, { propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    // 409 here: the uid no longer matches, so the object of that name is not the one we checked.
    if (isConflict(err)) return `left ${describe(obj)}: it was replaced by another object while being deleted`;
    throw toFailure(err, `deleting ${describe(obj)}`);
  }
  return undefined;
}

/**
 * Run references for `conduit eval compare`: a run id, or `latest`, `latest~1`, … counting back
 * from the newest stored run, so CI can compare this run with the previous one without knowing ids.
 *
 * @example
 * await resolveRunRef(storage.evals, 'latest~1');   // the run before the newest
 */
import type { EvalStore } from '../../storage/ports/eval-store.js';

export async function resolveRunRef(store: EvalStore, ref: string): Promise<string> {
  const match = /^latest(?:~(\d+))?$/.exec(ref);
  const id = match
    ? (await store.listRuns({ limit: Number(match[1] ?? 0) + 1 }))[Number(match[1] ?? 0)]?.id
    : ref;
  if (!id || !(await store.getRun(id)))
    throw new Error(
      match ? `${ref}: not that many stored runs` : `no stored run ${ref} (see conduit eval list)`,
    );
  return id;
}

import DataLoader from "dataloader";

/**
 * Reads that every request makes (who is calling, who they are in the organisation) gathered into
 * one query per turn of the event loop. Under load fifty requests arriving together cost one round
 * trip instead of fifty; nothing is cached beyond that turn, so a logout or a change of membership is
 * seen by the very next request.
 */
export function batchedReads<Key, Value>(
  load: (keys: readonly Key[]) => Promise<readonly (Value | Error)[]>,
  cacheKey: (key: Key) => string,
) {
  return new DataLoader<Key, Value, string>(load, {
    cache: false,
    cacheKeyFn: cacheKey,
    // Wait for the I/O callbacks of this turn (other requests' bodies) before querying.
    batchScheduleFn: (callback) => setImmediate(callback),
    maxBatchSize: 500,
  });
}

/** One loader per owner (a database, a context): made on first use, dropped with its owner. */
export function perOwner<Owner extends object, Loader>(make: (owner: Owner) => Loader) {
  const loaders = new WeakMap<Owner, Loader>();
  return (owner: Owner) => {
    let loader = loaders.get(owner);
    if (!loader) {
      loader = make(owner);
      loaders.set(owner, loader);
    }
    return loader;
  };
}

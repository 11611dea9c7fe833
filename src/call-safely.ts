// Observers (onError, onSweep, onFenced, …) are callbacks the caller does not own. One that throws
// has its own bug; it must not end a sweep schedule, break a write loop or reject a room's chain.

/** Runs an observer callback, swallowing what it throws: there is nothing to report to, the observer is what failed. */
export function callSafely(callback: () => void): void {
  try {
    callback();
  } catch {
    // The observer's own bug; the caller carries on.
  }
}

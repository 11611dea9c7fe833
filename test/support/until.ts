/**
 * Waits for a real condition, polled every few ms, up to a deadline: for conditions without an
 * event to await. `what` names the condition in the timeout error; a function is asked only then,
 * so the message can say how far the condition got.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  deadlineMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

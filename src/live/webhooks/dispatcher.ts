// Sends the outbox: every poll (and at once when kicked after an append) it claims due
// deliveries, sends each, and records the outcome. Claims use FOR UPDATE SKIP LOCKED, so with
// several instances on one database each delivery is sent by one of them at a time.
import type { ClaimedDelivery, MonitorStore } from '../../store/monitor-store.ts';
import { judgeAttempt, type RetryPolicy } from './retry-policy.ts';
import type { AttemptOutcome, WebhookSender } from './sender.ts';

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'disabled';

export interface DispatcherObserver {
  /** One attempt finished; `failed` means it became a dead letter. */
  attempted(webhookId: string, outcome: DeliveryOutcome, latencyMs: number): void;
  outboxDepth(depths: readonly { webhookId: string; pending: number }[]): void;
  error(error: unknown, doing: string): void;
}

export interface DispatcherOptions {
  store: Pick<MonitorStore, 'claimDue' | 'markDelivered' | 'markFailed' | 'disableWebhook' | 'outboxDepth'>;
  sender: WebhookSender;
  retry: RetryPolicy;
  pollMs: number;
  /** Deliveries claimed per round. */
  batch?: number;
  /** How long a claimed delivery is reserved for its sender (longer than one attempt can take). */
  leaseMs: number;
  observer?: Partial<DispatcherObserver>;
  now?: () => number;
  random?: () => number;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a round now (or right after the running one): new outbox rows need not wait a poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.rounds().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once the round in progress (if any) is done. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    await this.options.sender.close();
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      let claimed = 0;
      try {
        claimed = await this.round();
        const depths = await this.options.store.outboxDepth();
        this.options.observer?.outboxDepth?.(depths);
      } catch (error) {
        this.options.observer?.error?.(error, 'sending webhooks');
      }
      // A full batch means more may be due: go on without waiting for the poll.
      if (claimed >= (this.options.batch ?? 20)) this.again = true;
    } while (this.again && !this.stopped);
  }

  private async round(): Promise<number> {
    const due = await this.options.store.claimDue(this.now(), this.options.batch ?? 20, this.options.leaseMs);
    await Promise.all(due.map((delivery) => this.deliver(delivery)));
    return due.length;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const started = this.now();
    const outcome = await this.options.sender.send({
      id: delivery.id,
      url: delivery.url,
      secret: delivery.secret,
      body: delivery.payload,
      timestamp: Math.floor(started / 1000),
    });
    const finished = this.now();
    const status = outcome.kind === 'response' ? outcome.status : null;
    const verdict = judgeAttempt(status, delivery.attempts, delivery.expiresAt, finished, this.options.retry, this.options.random);
    const error = describe(outcome);
    const store = this.options.store;
    try {
      switch (verdict.kind) {
        case 'delivered':
          await store.markDelivered(delivery.id, finished, status as number);
          break;
        case 'disable':
          await store.markFailed(delivery.id, { status, error, retryAt: null });
          await store.disableWebhook(delivery.webhookId, finished, 'the target answered 410 Gone');
          break;
        case 'retry':
          await store.markFailed(delivery.id, { status, error, retryAt: verdict.at });
          break;
        case 'dead':
          await store.markFailed(delivery.id, { status, error, retryAt: null });
          break;
      }
    } catch (caught) {
      // The lease runs out and the delivery is claimed again: sent twice at worst, never lost.
      this.options.observer?.error?.(caught, `recording delivery ${delivery.id}`);
      return;
    }
    this.options.observer?.attempted?.(delivery.webhookId, OUTCOME_OF[verdict.kind], finished - started);
  }
}

const OUTCOME_OF: Record<ReturnType<typeof judgeAttempt>['kind'], DeliveryOutcome> = {
  delivered: 'delivered',
  retry: 'retrying',
  dead: 'failed',
  disable: 'disabled',
};

function describe(outcome: AttemptOutcome): string {
  if (outcome.kind === 'failure') return `${outcome.code}: ${outcome.message}`;
  return outcome.excerpt === '' ? `HTTP ${outcome.status}` : `HTTP ${outcome.status}: ${outcome.excerpt}`;
}

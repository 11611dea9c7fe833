// The HTTP client's view of the pool: each attempt takes a healthy pair's route (its cookie, its
// own ttwid, its proxy) and reports what the answer said about the pair.
import type { RouteOutcome, RouteSource, UpstreamRoute } from '../http/requester.ts';
import type { PoolPair, UpstreamPool } from './upstream-pool.ts';

export class PoolRoutes implements RouteSource {
  private readonly routes = new Map<string, UpstreamRoute>();

  constructor(
    private readonly pool: UpstreamPool,
    private readonly makeRoute: (pair: PoolPair) => UpstreamRoute,
  ) {}

  pick(preferred: string | null): UpstreamRoute {
    const pair = this.pool.pick(preferred);
    let route = this.routes.get(pair.id);
    if (route === undefined) {
      route = this.makeRoute(pair);
      this.routes.set(pair.id, route);
    }
    return route;
  }

  report(route: UpstreamRoute, outcome: RouteOutcome): void {
    if (route.id === null) return;
    if (outcome.kind === 'ok') this.pool.succeeded(route.id);
    else if (outcome.kind === 'neutral') this.pool.answered(route.id);
    else this.pool.failed(route.id, outcome);
  }
}

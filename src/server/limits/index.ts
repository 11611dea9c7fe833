// The abuse limits as yoga/envelop plugins, one per concern, configured from config.limits.
// graphql-ws runs yoga's envelop, so every one of them applies to both transports.
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../../config.ts';
import type { RejectionListener } from './codes.ts';
import { useCostLimit } from './cost-limit.ts';
import { useMaxAliases } from './max-aliases.ts';
import { useMaxDepth } from './max-depth.ts';
import { useMaxTokens } from './max-tokens.ts';
import { useResponseByteCap } from './response-size.ts';
import { usePersistedOperations, type PersistedOperationStore } from './persisted-operations.ts';

export { LimitCode, type RejectionListener } from './codes.ts';
export type { PersistedOperationStore } from './persisted-operations.ts';

export type QueryLimits = Pick<LimitsConfig, 'maxQueryDepth' | 'maxQueryCost' | 'maxResponseBytes' | 'maxAliases' | 'maxTokens' | 'persistedOperations'>;

export interface LimitPluginOptions {
  limits: QueryLimits;
  /** Required unless limits.persistedOperations is 'off'. */
  persisted?: PersistedOperationStore | null;
  onRejected?: RejectionListener;
}

export function limitPlugins(options: LimitPluginOptions): Plugin[] {
  const { limits, onRejected } = options;
  const plugins: Plugin[] = [];
  if (limits.persistedOperations !== 'off') {
    if (!options.persisted) {
      throw new Error(`PERSISTED_OPERATIONS=${limits.persistedOperations} needs a store of persisted operations`);
    }
    plugins.push(usePersistedOperations({ mode: limits.persistedOperations, store: options.persisted, onRejected }));
  }
  plugins.push(
    useMaxTokens({ maxTokens: limits.maxTokens, onRejected }),
    useMaxDepth({ maxDepth: limits.maxQueryDepth, onRejected }),
    useMaxAliases({ maxAliases: limits.maxAliases, onRejected }),
    useCostLimit({ maxCost: limits.maxQueryCost, onRejected }),
    useResponseByteCap({ maxBytes: limits.maxResponseBytes, onRejected }),
  );
  return plugins;
}

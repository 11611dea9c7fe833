// Mounts the vendor REST handler inside yoga: its paths are answered before yoga parses
// anything; every other request goes on to GraphQL. List it before useTokenAuth.
import type { Plugin } from 'graphql-yoga';
import { addressOfServerContext } from '../auth/client-address.ts';
import type { VendorRestHandler } from './handler.ts';

export function useVendorRest(handler: VendorRestHandler): Plugin {
  return {
    async onRequest({ request, serverContext, endResponse }) {
      const response = await handler(request, { clientAddress: addressOfServerContext(serverContext) });
      if (response !== null) endResponse(response);
    },
  };
}

// Mounts the vendor REST handler inside yoga: its paths are answered before yoga parses
// anything; every other request goes on to GraphQL. List it before useTokenAuth.
import type { Plugin } from 'graphql-yoga';
import { addressOfServerContext } from '../auth/client-address.ts';
import type { VendorRestHandler } from './handler.ts';

export function useVendorRest(handler: VendorRestHandler): Plugin {
  return {
    // Other paths leave at once, without a promise: every GraphQL request passes through here.
    onRequest({ request, url, serverContext, endResponse }) {
      if (!handler.handles(url.pathname)) return;
      return handler(request, { clientAddress: addressOfServerContext(serverContext) }).then((response) => {
        if (response !== null) endResponse(response);
      });
    },
  };
}

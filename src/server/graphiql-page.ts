// The GraphiQL page inlines 9 MB of JavaScript. Importing @graphql-yoga/render-graphiql keeps
// about 30 MB in the heap for the life of the process (the module's source and the strings it
// exports), though most gateways serve the page rarely or never. So the page is rendered in a
// short-lived worker thread, whose heap goes with it, and only its bytes are kept: once per set
// of options, from the first request that asks for it.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GraphiQLOptions } from 'graphql-yoga';

/** Runs as CommonJS inside the worker: imports the renderer by URL and hands back the page's UTF-8 bytes. */
const RENDER_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.rendererUrl).then(({ renderGraphiQL }) => {
  const page = new TextEncoder().encode(renderGraphiQL(workerData.options));
  parentPort.postMessage(page, [page.buffer]);
});
`;

const RENDERER_URL = pathToFileURL(createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql')).href;

export type GraphiqlPageRenderer = (options: GraphiQLOptions) => Promise<Uint8Array<ArrayBuffer>>;

export function graphiqlPageRenderer(rendererUrl = RENDERER_URL): GraphiqlPageRenderer {
  const pages = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  return (options) => {
    const key = JSON.stringify(options);
    let page = pages.get(key);
    if (page === undefined) {
      page = renderInWorker(rendererUrl, options);
      pages.set(key, page);
      // A failed render is not kept: the next request tries again.
      page.catch(() => pages.delete(key));
    }
    return page;
  };
}

function renderInWorker(rendererUrl: string, options: GraphiQLOptions): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(RENDER_IN_WORKER, { eval: true, workerData: { rendererUrl, options } });
    worker.once('message', (page: Uint8Array<ArrayBuffer>) => resolve(page));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the GraphiQL page's renderer exited with code ${code} before answering`)));
  });
}

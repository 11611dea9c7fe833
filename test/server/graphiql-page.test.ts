import { describe, expect, it } from 'vitest';
import { graphiqlPageRenderer } from '../../src/server/graphiql-page.ts';

const decode = (page: Uint8Array) => new TextDecoder().decode(page);

describe('graphiqlPageRenderer', () => {
  it('renders the page in a worker with the given options and keeps one copy per set of options', async () => {
    const render = graphiqlPageRenderer();
    const first = await render({ title: 'Room 一' });
    const again = await render({ title: 'Room 一' });
    const other = await render({ title: 'Room 二' });
    expect(decode(first)).toContain('<title>Room 一</title>');
    expect(decode(first)).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(decode(other)).toContain('<title>Room 二</title>');
  });

  it('rejects when the renderer cannot load, and tries again on the next request', async () => {
    const render = graphiqlPageRenderer(new URL('./no-such-renderer.js', import.meta.url).href);
    const first = render({ title: 'x' });
    await expect(first).rejects.toThrow(/no-such-renderer/);
    const second = render({ title: 'x' });
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow(/no-such-renderer/);
  });
});

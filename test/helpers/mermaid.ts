/** mermaid's own parser under Node, with jsdom standing in for the browser it expects. */

let ready: Promise<{ parse(text: string): Promise<unknown> }> | undefined;

export function mermaid(): Promise<{ parse(text: string): Promise<unknown> }> {
  ready ??= (async () => {
    const { JSDOM } = await import('jsdom');
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    const g = globalThis as Record<string, unknown>;
    g.window = dom.window;
    g.document = dom.window.document;
    try {
      Object.defineProperty(globalThis, 'navigator', { value: dom.window.navigator, configurable: true });
    } catch {
      // already defined by this Node
    }
    const m = (await import('mermaid')).default;
    m.initialize({ startOnLoad: false });
    return m;
  })();
  return ready;
}

/**
 * `start --view`: the CLI prints the view's URL on 127.0.0.1, serves the page while it runs and
 * stops serving when it exits.
 */
import { get } from 'node:http';
import { main } from '../../src/cli/main.js';

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // No keep-alive agent: a reused socket would hide whether the server still listens.
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

test('start --view --view-port 0 prints the view URL, serves it while running, and stops it on exit', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const exited = main(
    ['start', '--view', '--view-port', '0'],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    stop.signal,
  );
  const deadline = Date.now() + 5000;
  let url: string | undefined;
  while (url === undefined && Date.now() < deadline) {
    url = /view: open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/.exec(out.join('\n'))?.[1];
    if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (url === undefined) throw new Error(`no view URL printed: ${out.join('\n')}`);
  expect(await status(url)).toBe(200);
  stop.abort();
  expect(await exited).toBe(0);
  await expect(status(url)).rejects.toThrow(/ECONNREFUSED/);
  expect(err).toEqual([]);
}, 10_000);

test('--view-port must be a port number', async () => {
  const err: string[] = [];
  const code = await main(
    ['start', '--view', '--view-port', 'x'],
    { out: () => undefined, err: (l) => err.push(l) },
    new AbortController().signal,
  );
  expect(code).toBe(2);
  expect(err.join('\n')).toContain('--view-port takes a port number');
});

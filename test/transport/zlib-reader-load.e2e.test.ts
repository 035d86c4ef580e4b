/**
 * A connection that asks for compression loads the zlib reader (`import('./inflate.js')`) before it
 * opens its socket; in the browser build that import fetches a chunk, which can fail. Here the first
 * import fails, as a chunk that cannot be fetched would: that connection ends with INFLATE_FAILED
 * (not fatal) without opening a socket, and the next one imports again, opens, and reads
 * compressed frames.
 */
import type * as Index from '../../src/index.js';
import { createLocalGateway, type LocalGateway } from '../../src/testing/index.js';

const KEY = 'zlib-load-key';
let gateway: LocalGateway | undefined;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  await gateway?.close();
});

test('a failed load of the zlib reader ends that connection; the next one loads it and reads', async () => {
  let imports = 0;
  let index: typeof Index | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../src/transport/inflate.js', () => {
      if (++imports === 1) throw new Error('chunk gone');
      return jest.requireActual<object>('../../src/transport/inflate.js');
    });
    index = jest.requireActual('../../src/index.js');
  });
  gateway = await createLocalGateway({ keys: [KEY], compressionForm: 'stream', guildCountInterval: 0 });
  const seen: unknown[] = [];
  const errors: string[] = [];
  const client = index!.createGatewayClient({
    url: gateway.url,
    compression: 'zlib',
    identify: { type: 'bot', key: KEY },
    reconnect: { minDelay: 20, maxDelay: 200, jitter: 0 },
    onError: (error) => errors.push(error.message),
    plugins: [{ name: 'counts', events: { GLOBAL_GUILD_COUNT: (d) => void seen.push(d) } }],
  });
  stop = () => client.stop();
  const changes: Index.StatusChange[] = [];
  client.subscribe((change) => changes.push(change));
  await client.start();
  expect(imports).toBe(2);
  const left = changes.find((change) => change.status === 'reconnecting');
  expect(left?.reason).toMatchObject({
    code: 'INFLATE_FAILED',
    message: 'INFLATE_FAILED Inflate Failed: cannot load the zlib frame reader: chunk gone',
    fatal: false,
  });
  // The failed connection never opened a socket: the gateway saw only the one that worked.
  expect(gateway.connectionCount).toBe(1);
  client.send('send_servers', { guilds: 1, guildMembers: 2, cachedGuildMembers: 3 });
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 2000;
    const poll = (): void => {
      if (seen.length > 0) resolve();
      else if (Date.now() > deadline) reject(new Error('no GLOBAL_GUILD_COUNT'));
      else setTimeout(poll, 5);
    };
    poll();
  });
  expect(seen).toEqual([{ guilds: 1, guildMembers: 2, cachedGuildMembers: 3 }]);
  expect(errors).toEqual([]);
});

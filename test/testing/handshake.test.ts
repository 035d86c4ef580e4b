import { inflateSync } from 'node:zlib';
import { cleanUp, connect, startGateway } from './helpers.js';

afterEach(cleanUp);

describe('Hello', () => {
  it('comes first, spelled `hearbeat` by default as in the docs’ example', async () => {
    const gateway = await startGateway({ heartbeatInterval: 4321 });
    const client = connect(`${gateway.url}/?v=1`);
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: 4321 } });
    expect(client.raw[0]?.binary).toBe(false);
  });

  it('is spelled `heartbeat` when helloField says so', async () => {
    const gateway = await startGateway({ heartbeatInterval: 4321, helloField: 'heartbeat' });
    const client = connect(`${gateway.url}/?v=1`);
    expect(await client.next()).toEqual({ op: 5, d: { heartbeat: 4321 } });
  });

  it('comes when `v` is absent: version 1 is the default', async () => {
    const gateway = await startGateway();
    const client = connect(gateway.url);
    expect((await client.next()).op).toBe(5);
    expect((await gateway.nextConnection()).state).toBe('connected');
  });
});

describe('the version check', () => {
  it.each(['2', '0', 'abc', ''])(
    'answers v=%j with an op -1 4000 frame, then closes with 4000',
    async (v) => {
      const gateway = await startGateway();
      const client = connect(`${gateway.url}/?v=${v}`);
      const error = await client.next();
      expect(error).toMatchObject({ op: -1, e: 4000, m: 'Wrong version.', d: { data: [v] } });
      expect((await client.closed).code).toBe(4000);
      expect(client.raw).toHaveLength(1); // no Hello
    },
  );
});

describe('compression=zlib', () => {
  it('per-message form: every frame is a binary frame holding a complete zlib stream', async () => {
    const gateway = await startGateway({ heartbeatInterval: 1234 });
    const client = connect(`${gateway.url}/?v=1&compression=zlib`, 'per-message');
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: 1234 } });
    client.heartbeat();
    client.identify('local-dev-key');
    expect(await client.next()).toEqual({ op: 11 });
    expect((await client.next()).t).toBe('bot_connect_success');
    expect(client.raw.map((frame) => frame.binary)).toEqual([true, true, true]);
    // Each frame inflates on its own: no context is shared between them.
    for (const frame of client.raw) expect(() => inflateSync(frame.data)).not.toThrow();
    expect((await gateway.nextConnection()).compression).toBe('per-message');
  });

  it('stream form: one zlib stream per connection, each message ending with 00 00 ff ff', async () => {
    const gateway = await startGateway({ heartbeatInterval: 1234, compressionForm: 'stream' });
    const client = connect(`${gateway.url}/?v=1&compression=zlib`, 'stream');
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: 1234 } });
    for (let i = 0; i < 5; i++) client.heartbeat();
    for (let i = 0; i < 5; i++) expect(await client.next()).toEqual({ op: 11 });
    expect(client.raw).toHaveLength(6);
    for (const frame of client.raw) {
      expect(frame.binary).toBe(true);
      expect([...frame.data.subarray(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
    }
    // Only the first frame carries the zlib header: later ones continue the same stream.
    expect(() => inflateSync(client.raw[1]!.data)).toThrow();
  });

  it('stream form keeps a fresh context for each connection', async () => {
    const gateway = await startGateway({ compressionForm: 'stream' });
    const first = connect(`${gateway.url}/?v=1&compression=zlib`, 'stream');
    await first.next();
    first.heartbeat();
    await first.next();
    const second = connect(`${gateway.url}/?v=1&compression=zlib`, 'stream');
    expect((await second.next()).op).toBe(5);
    expect(second.raw[0]!.data[0]).toBe(0x78); // a zlib header: a new stream
  });

  it('honours the older `encoding=zlib` spelling', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1&encoding=zlib`, 'per-message');
    expect((await client.next()).op).toBe(5);
    expect(client.raw[0]?.binary).toBe(true);
  });

  it('compresses the 4000 error frame too', async () => {
    const gateway = await startGateway({ compressionForm: 'stream' });
    const client = connect(`${gateway.url}/?v=9&compression=zlib`, 'stream');
    expect(await client.next()).toMatchObject({ op: -1, e: 4000 });
    expect(client.raw[0]?.binary).toBe(true);
    expect((await client.closed).code).toBe(4000);
  });

  it('sends text frames without compression', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    expect(client.raw[0]?.binary).toBe(false);
    expect((await gateway.nextConnection()).compression).toBe('none');
  });
});

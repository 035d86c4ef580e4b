import { GatewayError } from '../../src/index.js';
import { cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

const report = (n: number) => ({ guilds: n, guildMembers: n, cachedGuildMembers: n });
const sentServers = (gw: Awaited<ReturnType<typeof gateway>>) =>
  gw.connections.flatMap((conn) =>
    conn.frames
      .filter((f) => f.frame?.op === 1 && f.frame.t === 'send_servers')
      .map((f) => (f.frame as { d: { guilds: number } }).d.guilds),
  );

// These check order and bounds: every report is kept ({ replace: false }), where send_servers would
// otherwise keep only its newest queued snapshot (tested under "send semantics").
const keep = { replace: false };

describe('the send queue over real sockets', () => {
  test('sends before start wait for ready and go out in order, after identify', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    for (let i = 1; i <= 5; i++) c.client.send('send_servers', report(i), keep);
    c.client.send('custom_event', { anything: ['goes'] });
    await c.client.start();
    for (let i = 6; i <= 8; i++) c.client.send('send_servers', report(i), keep);
    await until(() => sentServers(gw).length === 8, 2000, 'eight reports');
    expect(sentServers(gw)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ops = gw.connections[0]!.frames.map((f) => (f.frame?.op === 1 ? f.frame.t : f.frame?.op));
    expect(ops.indexOf('identify')).toBeLessThan(ops.indexOf('send_servers'));
    expect(ops).toContain('custom_event');
  });

  test('the queue is bounded: overflow throws QUEUE_FULL to the caller, nothing is dropped silently', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, queue: { max: 3 } });
    for (let i = 1; i <= 3; i++) c.client.send('send_servers', report(i), keep);
    expect(() => c.client.send('send_servers', report(4), keep)).toThrow(GatewayError);
    expect(() => c.client.send('send_servers', report(4), keep)).toThrow(/QUEUE_FULL/);
    await c.client.start();
    await until(() => sentServers(gw).length === 3, 2000, 'three reports');
    expect(sentServers(gw)).toEqual([1, 2, 3]);
  });

  test('the queue survives a reconnect: what waits is sent on the next session', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, reconnect: { minDelay: 100 } });
    await c.client.start();
    gw.connections[0]!.drop();
    await c.next('reconnecting');
    c.client.send('send_servers', report(7), keep);
    c.client.send('send_servers', report(8), keep);
    await c.next('ready');
    await until(() => sentServers(gw).length === 2, 2000, 'two reports');
    expect(
      gw.connections[1]!.frames.filter((f) => f.frame?.op === 1 && f.frame.t === 'send_servers'),
    ).toHaveLength(2);
  });

  test('data that does not fit a known codec throws INVALID_EVENT and is not queued; identify cannot be sent', () => {
    const c = client({ url: 'ws://127.0.0.1:9' });
    // @ts-expect-error -- a wrong shape is a compile error, and refused at run time too
    expect(() => c.client.send('send_servers', { guilds: 'many' })).toThrow(/INVALID_EVENT.*d\.guilds/);
    // @ts-expect-error -- identify is the client's own: a compile error, and refused at run time
    expect(() => c.client.send('identify', { type: 'bot', key: 'x' })).toThrow(/INVALID_EVENT/);
  });
});

describe('send semantics', () => {
  const stats = (n: number) => ({ guilds: n, guildMembers: n, cachedGuildMembers: n });

  test("send() says 'queued' before ready and 'sent' once ready; client.queue shows the size and clears", async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    expect(c.client.send('note', { n: 1 })).toBe('queued');
    expect(c.client.send('note', { n: 2 })).toBe('queued');
    expect(c.client.queue.size).toBe(2);
    expect(c.client.queue.clear()).toBe(2);
    expect(c.client.queue.size).toBe(0);
    expect(c.client.send('note', { n: 3 })).toBe('queued');
    await c.client.start();
    expect(c.client.queue.size).toBe(0);
    expect(c.client.send('note', { n: 4 })).toBe('sent');
    const conn = gw.connections[0]!;
    await until(() => conn.frames.filter((f) => f.text.includes('"note"')).length >= 2, 2000, 'notes');
    const notes = conn.frames
      .filter((f) => f.text.includes('"note"'))
      .map((f) => JSON.parse(f.text).d.n as number);
    // The cleared ones never went out.
    expect(notes).toEqual([3, 4]);
  });

  test('send_servers keeps only its newest queued snapshot by default; { replace: false } keeps each; other events keep all', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    for (let n = 1; n <= 3; n++) c.client.send('send_servers', stats(n));
    c.client.send('note', { n: 1 });
    c.client.send('note', { n: 2 });
    c.client.send('send_servers', stats(4));
    expect(c.client.queue.size).toBe(3);
    c.client.send('note', { n: 3 }, { replace: true });
    expect(c.client.queue.size).toBe(2);
    c.client.send('send_servers', stats(5), { replace: false });
    expect(c.client.queue.size).toBe(3);
    await c.client.start();
    const conn = gw.connections[0]!;
    const events = () =>
      conn.frames.flatMap((f) =>
        f.frame?.op === 1 && f.frame.t !== 'identify'
          ? [f.frame as { t: string; d: { n?: number; guilds?: number } }]
          : [],
      );
    await until(() => events().length >= 3, 2000, 'flush');
    const sent = events().map((frame) => `${frame.t}:${frame.d.n ?? frame.d.guilds ?? '?'}`);
    expect(sent).toEqual(['send_servers:4', 'note:3', 'send_servers:5']);
    // The gateway summed the last report it got.
    await until(() => gw.guildCount.guilds === 5, 2000, 'the gateway counted the newest');
  });
  test("a plugin's context.send passes its options on: { replace } keeps only the newest queued note", async () => {
    const gw = await gateway();
    let send: ((event: string, data: unknown, options?: { replace?: boolean }) => unknown) | undefined;
    const c = client({
      url: gw.url,
      plugins: [
        {
          name: 'notes',
          setup(context) {
            send = context.send;
          },
        },
      ],
    });
    await c.client.start();
    c.client.reconnect(); // not ready for a moment: what the plugin sends now is queued
    send!('note', { n: 1 }, { replace: true });
    send!('note', { n: 2 }, { replace: true });
    expect(c.client.queue.size).toBe(1);
    await until(() => c.client.queue.size === 0, 2000, 'the queue flushed on ready');
    const notes = () =>
      gw.connections.flatMap((conn) =>
        conn.frames.filter((f) => f.text.includes('"note"')).map((f) => JSON.parse(f.text).d.n as number),
      );
    await until(() => notes().length >= 1, 2000, 'the note went out');
    expect(notes()).toEqual([2]);
  });
});

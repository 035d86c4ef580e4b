/**
 * The baseline page for the bundle-size benchmark: the same page written by hand on the browser's
 * WebSocket (handshake, heartbeat, shape check, route by name, reconnect after a delay).
 */
const status = document.createElement('p');
document.body.append(status);
const key = new URLSearchParams(location.search).get('key') ?? '';

function connect(): void {
  const ws = new WebSocket('wss://gateway.utilbot.co/?v=1');
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  ws.onmessage = (event: MessageEvent<string>) => {
    let frame: { op?: unknown; t?: unknown; d?: Record<string, unknown> | null };
    try {
      frame = JSON.parse(event.data) as typeof frame;
    } catch {
      return;
    }
    if (frame.op === 5) {
      const d = frame.d ?? {};
      const interval = Number(d.heartbeat ?? d.hearbeat);
      ws.send('{"op":10}');
      heartbeat = setInterval(() => ws.send('{"op":10}'), interval);
      ws.send(JSON.stringify({ op: 1, t: 'identify', d: { type: 'bot', key } }));
    } else if (frame.op === 0 && typeof frame.t === 'string') {
      const d = frame.d;
      if (frame.t === 'bot_connect_success') {
        document.title = 'ready';
        ws.send(
          JSON.stringify({
            op: 1,
            t: 'send_servers',
            d: { guilds: 1, guildMembers: 2, cachedGuildMembers: 2 },
          }),
        );
      } else if (
        frame.t === 'GLOBAL_GUILD_COUNT' &&
        typeof d === 'object' &&
        d !== null &&
        typeof d.guilds === 'number' &&
        typeof d.guildMembers === 'number'
      ) {
        status.textContent = `${d.guilds} guilds, ${d.guildMembers} members`;
      }
    }
  };
  ws.onclose = () => {
    clearInterval(heartbeat);
    document.title = 'reconnecting';
    setTimeout(connect, 1000);
  };
}
connect();

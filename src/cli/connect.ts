import { createGatewayClient, type StatusChange } from '../client.js';
import { GatewayError } from '../errors/gateway-error.js';
import { oneLine } from '../errors/one-line.js';
import { createKeyRedactor } from '../errors/redact.js';
import { createLocalGateway } from '../testing/index.js';
import { demoTimings, runDemo } from './demo.js';
import { startInspector, type CliInspector } from './inspect.js';
import { createSessionView, type SessionView } from '../view/server.js';
import { aborted, readArgs, type ArgOptions, type CommandIO } from './io.js';

const usage = {
  start: `usage: utilbot-gateway start [--url URL --key KEY] [--compression zlib] [--json] [--verbose] [--inspect [--inspect-port 8080]] [--view [--view-port 8081]]

Runs the client. Without --url it is a demo on an embedded local gateway (demo key, heartbeat
every 2 s): a demo bot reports send_servers every 3 s and prints each GLOBAL_GUILD_COUNT, and
after a few seconds, announced, the gateway drops the session so the reconnect shows. With
--url it connects to that gateway; the key comes from --key or UTILBOT_KEY. Prints every status
change, every heartbeat with its latency and every event, one line each, until Ctrl-C.
--verbose adds one debug line per frame in and out (the key never shown). --inspect serves the
XState inspector on http://127.0.0.1:8080 (the page embeds stately.ai/inspect). --view serves a
live picture of the session on http://127.0.0.1:8081 that needs no internet (docs/view.md).`,
  connect: `usage: utilbot-gateway connect --url URL --key KEY [--compression zlib] [--json] [--verbose] [--inspect [--inspect-port 8080]] [--view [--view-port 8081]]

Connects to a gateway and prints every status change, every heartbeat with its latency and every
event, one line each, until Ctrl-C. --verbose adds one debug line per frame in and out (the key
never shown). The key may come from UTILBOT_KEY instead of --key. Exits 1 when the session fails.
--view serves a live picture of the session on http://127.0.0.1:8081, offline (docs/view.md).`,
};

/** The flags of `start` and `connect`. */
const connectFlags = {
  url: { type: 'string' },
  key: { type: 'string' },
  compression: { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  inspect: { type: 'boolean', default: false },
  'inspect-port': { type: 'string' },
  view: { type: 'boolean', default: false },
  'view-port': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ArgOptions;

/**
 * `start` (the main job) and `connect`: one client, every status change and event printed.
 * Returns the exit code: 0 after Ctrl-C, 1 when the session failed, 2 for a bad command line.
 */
export async function runConnect(
  command: 'start' | 'connect',
  argv: string[],
  io: CommandIO,
  signal: AbortSignal,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  const values = readArgs(command, argv, connectFlags, io);
  if (values === undefined) return 2;
  if (values.help) {
    io.out(usage[command]);
    return 0;
  }
  if (values.compression !== undefined && values.compression !== 'zlib') {
    io.err(`utilbot-gateway ${command}: --compression takes only 'zlib'`);
    return 2;
  }
  const inspectPort = Number(values['inspect-port'] ?? 8080);
  if (!Number.isInteger(inspectPort) || inspectPort < 1 || inspectPort > 65535) {
    io.err(`utilbot-gateway ${command}: --inspect-port takes a port number`);
    return 2;
  }
  const viewPort = Number(values['view-port'] ?? 8081);
  if (!Number.isInteger(viewPort) || viewPort < 0 || viewPort > 65535) {
    io.err(`utilbot-gateway ${command}: --view-port takes a port number`);
    return 2;
  }
  const key = values.key ?? env.UTILBOT_KEY;
  if (values.url === undefined && command === 'connect') {
    io.err('utilbot-gateway connect: --url is required (see --help)');
    return 2;
  }
  if (values.url !== undefined && (key === undefined || key === '')) {
    io.err(`utilbot-gateway ${command}: --key or UTILBOT_KEY is required with --url`);
    return 2;
  }

  const demoKey = 'demo-key';
  const gateway =
    values.url === undefined
      ? await createLocalGateway({
          keys: [demoKey],
          heartbeatInterval: demoTimings.heartbeatInterval,
          // Like `serve`, it keeps no frame and no closed connection: any local process can connect to
          // it for as long as the demo runs. runDemo reads only the open connections.
          frameHistory: 0,
          connectionHistory: 0,
          unclaimedLimit: 0,
        })
      : undefined;
  const url = values.url ?? gateway?.url ?? '';
  // Every line is the gateway's text as much as ours (event names and data are printed as they
  // came): one line each, and the key masked as the client masks it in its own messages.
  const redactor = createKeyRedactor();
  redactor.remember(key ?? demoKey);
  const print = (kind: string, fields: Record<string, unknown>, text: string): void => {
    const line = values.json
      ? JSON.stringify({ time: new Date().toISOString(), kind, ...fields })
      : `${clock()} ${text}`;
    io.out(redactor.redact(oneLine(line)));
  };
  if (gateway !== undefined) print('gateway', { url }, `local gateway listening on ${url} (demo key)`);

  let inspector: CliInspector | undefined;
  if (values.inspect) {
    try {
      inspector = await startInspector(inspectPort);
    } catch (error) {
      await gateway?.close();
      io.err(`utilbot-gateway ${command}: ${(error as Error).message}`);
      return 2;
    }
    print('inspector', { url: inspector.url }, `inspector: open ${inspector.url} in a browser`);
  }

  // Declared before the client: its onError passes errors on to the view once there is one.
  let view: SessionView | undefined;
  const client = createGatewayClient({
    url,
    ...(inspector === undefined ? {} : { inspect: inspector.inspect }),
    identify: { type: 'bot', key: key ?? demoKey },
    ...(values.compression === 'zlib' ? { compression: 'zlib' as const } : {}),
    plugins: [
      {
        name: 'cli-printer',
        onEvent: (name, data) =>
          print('event', { event: name, data }, `event ${name} ${JSON.stringify(data)}`),
      },
    ],
    onError: (error) => {
      print('error', { error: error.toJSON() }, `error ${error.message}`);
      view?.report(error);
    },
    // --verbose: the client's debug trace, one line per frame and status change.
    ...(values.verbose
      ? {
          debug: true,
          logger: {
            debug: (line: string) => print('debug', { line }, `debug ${line}`),
            info: (line: string) => print('info', { line }, `info ${line}`),
            warn: (line: string) => print('warn', { line }, `warn ${line}`),
            error: (line: string) => print('error', { line }, `error ${line}`),
          },
        }
      : {}),
  });
  if (values.view) {
    try {
      view = await createSessionView(client, { port: viewPort, keys: [key ?? demoKey] });
    } catch (error) {
      await client.stop();
      await inspector?.stop();
      await gateway?.close();
      io.err(`utilbot-gateway ${command}: ${(error as Error).message} (--view-port)`);
      return 2;
    }
    print('view', { url: view.url }, `view: open ${view.url} in a browser`);
  }
  const unsubscribe = client.subscribe((change) => {
    // A heartbeat is one line with its round trip, not two status changes.
    if (change.previous === 'ready' && change.status === 'heartbeat-pending') return;
    if (change.previous === 'heartbeat-pending' && change.status === 'ready') {
      const latency = client.latency;
      print(
        'heartbeat',
        { latency },
        `heartbeat acknowledged in ${latency === undefined ? '?' : latency.toFixed(1)} ms`,
      );
      return;
    }
    print('status', statusFields(change), `status ${describe(change)}`);
  });
  const stopDemo =
    gateway === undefined ? undefined : runDemo(client, gateway, (kind, text) => print(kind, { text }, text));

  let failure: GatewayError | undefined;
  await Promise.race([
    aborted(signal),
    client.start().then(
      () => new Promise<void>((resolve) => client.subscribe((c) => c.status === 'failed' && resolve())),
      (error: unknown) => {
        if (error instanceof GatewayError && error.code !== 'STOPPED') failure = error;
      },
    ),
  ]);
  if (failure === undefined && client.status === 'failed') {
    const reason = client.actor.getSnapshot().context.reason;
    failure = reason === undefined ? undefined : GatewayError.fromReason(reason);
  }
  stopDemo?.();
  await client.stop();
  unsubscribe();
  await view?.stop();
  await inspector?.stop();
  await gateway?.close();
  if (failure !== undefined) {
    io.err(redactor.redact(oneLine(`utilbot-gateway ${command}: ${failure.message}`)));
    return 1;
  }
  return 0;
}

function statusFields(change: StatusChange): Record<string, unknown> {
  return {
    status: change.status,
    previous: change.previous,
    ...(change.reason === undefined ? {} : { reason: change.reason.message }),
    ...(change.retryIn === undefined ? {} : { retryIn: change.retryIn }),
  };
}

function describe(change: StatusChange): string {
  const reason = change.reason === undefined ? '' : ` (${change.reason.message})`;
  const retry = change.retryIn === undefined ? '' : `, retry in ${change.retryIn} ms`;
  return `${change.previous} → ${change.status}${reason}${retry}`;
}

function clock(): string {
  return new Date().toISOString().slice(11, 23);
}

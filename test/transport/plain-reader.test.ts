/**
 * The reader of a connection that did not ask for compression (`createPlainFrameReader`): no zlib
 * engine at all, so the browser build can leave pako out of a page that never asks. Text and raw
 * frames pass as with every reader; a compressed frame is refused as `not-asked`, in one line: a
 * whole zlib frame is dropped and the connection goes on, a stream-form message is fatal (no later
 * message of that stream could be read either), as a corrupt one of each form is.
 */
import * as zlib from 'node:zlib';
import * as pako from 'pako';
import { createPlainFrameReader } from '../../src/transport/frame-reader.js';
import { readerHarness, streamFrames } from './frame-reader-cases.js';

const { open } = readerHarness(createPlainFrameReader);

describe('createPlainFrameReader (compression not asked for)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('passes text and raw binary frames, at once and in order', () => {
    const { reader, log } = open();
    reader.push('{"op":5,"d":{"heartbeat":41250}}');
    const bytes = new TextEncoder().encode('{"op":11}');
    reader.push(bytes);
    reader.push(bytes.buffer); // what a browser's WebSocket gives
    expect(log).toEqual(['text:{"op":5,"d":{"heartbeat":41250}}', 'bytes:{"op":11}', 'bytes:{"op":11}']);
  });

  it('refuses a whole zlib frame as not-asked, not fatal, without inflating it, and goes on', () => {
    const push = jest.spyOn(pako.Inflate.prototype, 'push');
    const inflateSync = jest.spyOn(zlib, 'inflateSync');
    const { reader, log, failures } = open();
    const frame = zlib.deflateSync('{"op":11}');
    reader.push(frame);
    reader.push('{"op":11}');
    expect(log).toEqual(['error:not-asked:false', 'text:{"op":11}']);
    expect(failures.map((failure) => failure.message)).toEqual([
      `zlib frame of ${frame.byteLength} bytes is compressed, but compression was not asked for (set the compression option to 'zlib')`,
    ]);
    expect(push).not.toHaveBeenCalled();
    expect(inflateSync).not.toHaveBeenCalled();
  });

  it('refuses a stream-form message as not-asked and fatal: the reader closes, in one line', async () => {
    const [first, second] = await streamFrames('{"op":5,"d":{"heartbeat":41250}}', '{"op":11}');
    const { reader, log, failures } = open();
    reader.push(first!);
    reader.push(second!);
    reader.push('{"op":11}');
    expect(log).toEqual(['error:not-asked:true']);
    expect(failures[0]!.message).toBe(
      `zlib-stream message of ${first!.byteLength} bytes is compressed, but compression was not asked for ` +
        "(set the compression option to 'zlib'); no later message of the connection's zlib stream can be read either",
    );
    expect(failures[0]!.message).toMatch(/^[^\r\n]+$/);
  });

  it('keeps the bound on frames that need no inflating', () => {
    const { reader, log } = open(4);
    reader.push('{"o":1}');
    reader.push(Buffer.from('{"o":1}'));
    expect(log).toEqual(['error:too-large:false', 'error:too-large:false']);
  });
});

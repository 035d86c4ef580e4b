/**
 * The Node frame reader (node:zlib for whole frames, pako for the stream form): the cases every
 * reader passes (frame-reader-cases.ts), then which engine reads which form.
 */
import * as zlib from 'node:zlib';
import * as pako from 'pako';
import { createFrameReader } from '../../src/transport/inflate.js';
import { defineFrameReaderTests, streamFrames } from './frame-reader-cases.js';

const { open } = defineFrameReaderTests({ name: 'Node', createFrameReader });

describe('the engine of each form (Node)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads whole frames with node:zlib and the stream form with pako, each by the figures of benchmark 7', async () => {
    const [streamFrame] = await streamFrames('{"n":2}');
    const push = jest.spyOn(pako.Inflate.prototype, 'push');
    const { reader, log } = open();
    reader.push(zlib.deflateSync('{"n":1}'));
    expect(push).not.toHaveBeenCalled();
    reader.push(streamFrame!);
    expect(push).toHaveBeenCalledTimes(1);
    expect(log).toEqual(['bytes:{"n":1}', 'bytes:{"n":2}']);
  });
});

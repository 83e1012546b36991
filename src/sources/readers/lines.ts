// Splits a file into physical lines without ever holding it as one string (a 1M-row export is larger than
// V8's longest string). Lines are decoded from the byte buffer one by one, so each is a fresh flat string:
// a value the engine keeps from a row pins that row's line, never a whole read chunk.
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';

const NL = 0x0a;

export interface LineBlock {
  /** Complete lines in file order, without '\n'; a CRLF line keeps its '\r' (JSON ignores it, CSV needs it). */
  readonly lines: string[];
  /** 1-based line number of lines[0]. */
  readonly firstLine: number;
  /** Bytes of the file consumed so far. */
  readonly bytesRead: number;
}

export interface LineReadOptions {
  /** Bytes per read; small values exercise chunk boundaries in tests. */
  readonly chunkSize: number;
  /** A line longer than this is dropped (reported through onOverlong) instead of growing without bound. */
  readonly maxLineBytes: number;
  readonly onOverlong: (line: number) => void;
  readonly signal?: AbortSignal | undefined;
}

function stripBom(lines: string[]): void {
  if (lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
}

export async function* readLineBlocks(path: string, opts: LineReadOptions): AsyncGenerator<LineBlock> {
  const stream = createReadStream(path, { highWaterMark: opts.chunkSize });
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overlong = false;
  let lineNo = 1;
  let bytesRead = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      opts.signal?.throwIfAborted();
      bytesRead += chunk.length;
      const buf = chunk;
      // Most exports are pure ASCII, and decoding that as 'ascii' is three times faster than as UTF-8.
      const encoding = isAscii(buf) ? 'ascii' : 'utf8';
      const lines: string[] = [];
      let start = 0;
      let nl = buf.indexOf(NL, 0);
      if (nl !== -1 && (carryBytes > 0 || overlong)) {
        // The carried head of a line ends in this chunk; join bytes, not strings, so a character split
        // across chunks decodes whole.
        if (overlong || carryBytes + nl > opts.maxLineBytes) {
          opts.onOverlong(lineNo);
          lines.push('');
        } else {
          carry.push(buf.subarray(0, nl));
          lines.push(Buffer.concat(carry).toString('utf8'));
        }
        carry = [];
        carryBytes = 0;
        overlong = false;
        start = nl + 1;
        nl = buf.indexOf(NL, start);
      }
      while (nl !== -1) {
        if (nl - start > opts.maxLineBytes) {
          opts.onOverlong(lineNo + lines.length);
          lines.push('');
        } else {
          lines.push(buf.toString(encoding, start, nl));
        }
        start = nl + 1;
        nl = buf.indexOf(NL, start);
      }
      if (start < buf.length && !overlong) {
        // Copy: the stream may reuse its buffer, and a subarray would pin the whole chunk anyway.
        const rest = Buffer.from(buf.subarray(start));
        carry.push(rest);
        carryBytes += rest.length;
        if (carryBytes > opts.maxLineBytes) {
          overlong = true;
          carry = [];
          carryBytes = 0;
        }
      }
      if (lines.length > 0) {
        if (lineNo === 1) stripBom(lines);
        yield { lines, firstLine: lineNo, bytesRead };
        lineNo += lines.length;
      }
    }
    if (overlong) {
      opts.onOverlong(lineNo);
    } else if (carryBytes > 0) {
      const lines = [Buffer.concat(carry).toString('utf8')];
      if (lineNo === 1) stripBom(lines);
      yield { lines, firstLine: lineNo, bytesRead };
    }
  } finally {
    stream.destroy();
  }
}

// A selective streaming JSON reader. An eval export can be hundreds of megabytes, almost
// all of it model outputs that no measurement needs: reading it into one string and then
// JSON.parse would hold it twice (and a string over ~512 MiB cannot be made at all). This
// walks the text chunk by chunk; the caller says, for each path, whether to descend into
// it, to capture its value (parsed on its own with JSON.parse, then dropped) or to skip it.
// Skipped and descended parts are never kept, so memory is one chunk plus the largest
// captured value.

export type PathPart = string | number;
export type Action = 'descend' | 'capture' | 'skip';

export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly truncated = false,
  ) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

interface Frame {
  array: boolean;
  path: PathPart[];
  index: number;
  key: string | undefined;
}

const enum S {
  Value, // a value is expected
  KeyOrEnd, // after "{": a key or "}"
  Key, // after ",": a key
  InKey, // inside a key string
  Colon, // after a key
  AfterValue, // "," or a closing bracket
  ValueOrEnd, // after "[": a value or "]"
  Scan, // inside a captured or skipped value
  Done,
}

const WS = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Feeds text chunks in; calls `onValue(path, value)` for every captured value. `select`
 * decides per path; a path that is to be descended into but holds a scalar is captured.
 */
export class SelectiveJsonReader {
  private stack: Frame[] = [];
  private state: S = S.Value;
  private offset = 0;
  private keyParts: string[] = [];
  private keyEscape = false;
  // Scan state.
  private scanDepth = 0;
  private scanInString = false;
  private scanEscape = false;
  private scanScalar = false;
  private scanPath: PathPart[] = [];
  private scanCapture: string[] | null = null;
  private started = false;
  private backslashChunk: string | undefined;
  private nextBackslash = 0;

  constructor(
    private readonly select: (path: readonly PathPart[]) => Action,
    private readonly onValue: (path: readonly PathPart[], value: unknown) => void,
  ) {}

  /** The path of the value being read, for messages. */
  where(): string {
    const path = this.state === S.Scan ? this.scanPath : (this.stack[this.stack.length - 1]?.path ?? []);
    return formatPath(path);
  }

  write(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    if (!this.started && n > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < n) {
      if (this.state === S.Scan) {
        i = this.scan(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.state === S.InKey) {
        i = this.readKey(chunk, i);
        continue;
      }
      if (WS(c)) {
        i++;
        continue;
      }
      switch (this.state) {
        case S.Value:
        case S.ValueOrEnd:
          if (this.state === S.ValueOrEnd && c === 0x5d /* ] */) {
            this.close(true, i);
            i++;
            break;
          }
          this.startValue(c, i);
          i++;
          if ((this.state as S) === S.Scan && this.scanScalar)
            i--; // the scalar's first character is scanned again
          else if ((this.state as S) === S.Scan && this.scanCapture) this.scanCapture.push(chunk[i - 1]!);
          break;
        case S.KeyOrEnd:
        case S.Key:
          if (c === 0x7d /* } */ && this.state === S.KeyOrEnd) {
            this.close(false, i);
            i++;
            break;
          }
          if (c !== 0x22) throw this.unexpected(chunk, i, 'a key in double quotes');
          this.keyParts = [];
          this.state = S.InKey;
          i++;
          break;
        case S.Colon:
          if (c !== 0x3a) throw this.unexpected(chunk, i, '":" after the key');
          this.state = S.Value;
          i++;
          break;
        case S.AfterValue: {
          const top = this.stack[this.stack.length - 1]!;
          if (c === 0x2c /* , */) {
            if (top.array) {
              top.index++;
              this.state = S.Value;
            } else this.state = S.Key;
          } else if (c === (top.array ? 0x5d : 0x7d)) {
            this.close(top.array, i);
          } else throw this.unexpected(chunk, i, top.array ? '"," or "]"' : '"," or "}"');
          i++;
          break;
        }
        case S.Done:
          throw this.unexpected(chunk, i, 'the end of the file after the JSON value');
      }
    }
    this.offset += n;
  }

  /** Call at the end of the input: throws when the text stopped inside a value. */
  end(): void {
    if (this.state === S.Scan && this.scanScalar && this.scanDepth === 0 && !this.scanInString) this.finishScan();
    if (this.state !== S.Done) {
      throw new JsonStreamError(this.started ? `the JSON stops early, inside ${this.where() || 'the top-level value'}` : 'no JSON value', this.offset, this.started);
    }
  }

  private childPath(): PathPart[] {
    const top = this.stack[this.stack.length - 1];
    if (!top) return [];
    return [...top.path, top.array ? top.index : top.key!];
  }

  private startValue(c: number, at: number): void {
    const path = this.childPath();
    const action = this.select(path);
    const container = c === 0x7b || c === 0x5b;
    if (action === 'descend' && container) {
      const array = c === 0x5b;
      this.stack.push({ array, path, index: 0, key: undefined });
      this.state = array ? S.ValueOrEnd : S.KeyOrEnd;
      return;
    }
    if (!container && c !== 0x22 && c !== 0x2d && !(c >= 0x30 && c <= 0x39) && c !== 0x74 && c !== 0x66 && c !== 0x6e) {
      throw new JsonStreamError(`unexpected character ${JSON.stringify(String.fromCharCode(c))} where a value was expected`, this.offset + at);
    }
    this.scanPath = path;
    this.scanCapture = action === 'skip' ? null : [];
    this.scanInString = c === 0x22;
    this.scanEscape = false;
    this.scanScalar = !container && c !== 0x22;
    this.scanDepth = container ? 1 : 0;
    this.state = S.Scan;
  }

  /** Reads inside a captured or skipped value; returns where it stopped. */
  private scan(chunk: string, i: number): number {
    const n = chunk.length;
    const start = i;
    if (this.scanScalar) {
      while (i < n) {
        const c = chunk.charCodeAt(i);
        if (c === 0x2c || c === 0x7d || c === 0x5d || WS(c)) {
          this.scanCapture?.push(chunk.slice(start, i));
          this.finishScan();
          return i;
        }
        i++;
      }
      this.scanCapture?.push(chunk.slice(start, i));
      return i;
    }
    while (i < n) {
      if (this.scanInString) {
        if (this.scanEscape) {
          this.scanEscape = false;
          i++;
          continue;
        }
        // Jump to the next quote or backslash: most of an export is inside strings. The
        // next backslash is remembered per chunk: searching for it afresh from every
        // string would scan to the chunk's end each time when there is none.
        let q = chunk.indexOf('"', i);
        if (q === -1) q = n;
        if (this.backslashChunk !== chunk || this.nextBackslash < i) {
          this.backslashChunk = chunk;
          this.nextBackslash = chunk.indexOf('\\', i);
          if (this.nextBackslash === -1) this.nextBackslash = n;
        }
        const b = this.nextBackslash;
        if (b < q) {
          this.scanEscape = true;
          i = b + 1;
          continue;
        }
        if (q === n) {
          i = n;
          break;
        }
        i = q + 1;
        this.scanInString = false;
        if (this.scanDepth === 0) {
          this.scanCapture?.push(chunk.slice(start, i));
          this.finishScan();
          return i;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      i++;
      if (c === 0x22) this.scanInString = true;
      else if (c === 0x7b || c === 0x5b) this.scanDepth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--this.scanDepth === 0) {
          this.scanCapture?.push(chunk.slice(start, i));
          this.finishScan();
          return i;
        }
      }
    }
    this.scanCapture?.push(chunk.slice(start, i));
    return i;
  }

  private finishScan(): void {
    const capture = this.scanCapture;
    this.scanCapture = null;
    this.state = this.stack.length ? S.AfterValue : S.Done;
    if (!capture) return;
    const text = capture.length === 1 ? capture[0]! : capture.join('');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new JsonStreamError(`${formatPath(this.scanPath) || 'the value'} is not valid JSON (${(error as Error).message})`, this.offset);
    }
    this.onValue(this.scanPath, value);
  }

  private readKey(chunk: string, i: number): number {
    const n = chunk.length;
    const start = i;
    if (this.keyEscape) {
      this.keyEscape = false;
      i++;
    }
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (c === 0x5c) {
        i += 2;
        continue;
      }
      if (c === 0x22) {
        this.keyParts.push(chunk.slice(start, i));
        const raw = this.keyParts.join('');
        this.keyParts = [];
        let key: string;
        try {
          key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        } catch {
          throw new JsonStreamError(`a key is not a valid JSON string: "${raw.slice(0, 40)}"`, this.offset + i);
        }
        this.stack[this.stack.length - 1]!.key = key;
        this.state = S.Colon;
        return i + 1;
      }
      i++;
    }
    // A backslash that ends the chunk escapes the next chunk's first character.
    this.keyEscape = i > n;
    this.keyParts.push(chunk.slice(start, n));
    return n;
  }

  private close(array: boolean, _at: number): void {
    const frame = this.stack.pop()!;
    if (frame.array !== array) throw new JsonStreamError('mismatched brackets', this.offset + _at);
    this.state = this.stack.length ? S.AfterValue : S.Done;
  }

  private unexpected(chunk: string, i: number, expected: string): JsonStreamError {
    return new JsonStreamError(`expected ${expected} at character ${this.offset + i + 1}, got ${JSON.stringify(chunk[i])}${this.where() ? ` (in ${this.where()})` : ''}`, this.offset + i);
  }
}

export function formatPath(path: readonly PathPart[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

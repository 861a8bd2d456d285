// AMF0 (Action Message Format, Adobe "AMF 0 File Format Specification", 2007): the encoding of
// RTMP command and data messages. Objects keep their key order (an array of entries) so that
// decode -> encode reproduces the bytes. Every length is bounded: nesting depth, string length,
// entry count; anything the spec marks as unsupported/reference-based is rejected, not guessed.
// Its own layer (amf/) because two layers read it: rtmp/ (command and data messages) and flv/
// (SCRIPTDATA). Imports only bytes/.
import { encodeU16, encodeU32, readU16, readU32 } from '../bytes/big-endian.js';
import { ParseError, ensureAvailable } from '../bytes/parse-error.js';

export enum Amf0Marker {
  Number = 0x00,
  Boolean = 0x01,
  String = 0x02,
  Object = 0x03,
  MovieClip = 0x04,
  Null = 0x05,
  Undefined = 0x06,
  Reference = 0x07,
  EcmaArray = 0x08,
  ObjectEnd = 0x09,
  StrictArray = 0x0a,
  Date = 0x0b,
  LongString = 0x0c,
  Unsupported = 0x0d,
  RecordSet = 0x0e,
  XmlDocument = 0x0f,
  TypedObject = 0x10,
  AvmPlus = 0x11,
}

export type Amf0ObjectKind = 'object' | 'ecma-array' | 'typed-object';
export type Amf0Value = number | boolean | string | null | undefined | Amf0Object | Amf0Date | Amf0Value[];

/** An anonymous object, ECMA array or typed object: ordered entries plus typed getters. */
export class Amf0Object {
  constructor(
    readonly entries: Array<[string, Amf0Value]> = [],
    readonly kind: Amf0ObjectKind = 'object',
    readonly className = '',
  ) {}

  static from(record: Record<string, Amf0Value>, kind: Amf0ObjectKind = 'object'): Amf0Object {
    return new Amf0Object(Object.entries(record), kind);
  }

  get(key: string): Amf0Value {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }

  getString(key: string): string | undefined {
    const value = this.get(key);
    return typeof value === 'string' ? value : undefined;
  }

  getNumber(key: string): number | undefined {
    const value = this.get(key);
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }

  getBoolean(key: string): boolean | undefined {
    const value = this.get(key);
    return typeof value === 'boolean' ? value : undefined;
  }
}

/** AMF0 date: milliseconds since the epoch plus a time-zone field the spec says to ignore but keep. */
export class Amf0Date {
  constructor(
    readonly epochMs: number,
    readonly timeZone = 0,
  ) {}
}

export interface Amf0Limits {
  /** Deepest nesting of objects/arrays; real encoders never exceed 3. Default 16. */
  maxDepth: number;
  /** Longest long-string in bytes (short strings are capped at 65535 by their 16-bit length). Default 1 MiB. */
  maxStringLength: number;
  /** Most entries in one object or array. Default 4096. */
  maxEntries: number;
}

export const defaultAmf0Limits: Amf0Limits = { maxDepth: 16, maxStringLength: 1 << 20, maxEntries: 4096 };

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

class Amf0Decoder {
  offset = 0;
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: Amf0Limits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  private need(n: number, what: string): void {
    ensureAvailable(this.bytes.length, this.offset, n, `amf0 ${what}`);
  }

  private u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++] ?? 0;
  }

  private u16(what: string): number {
    this.need(2, what);
    const v = readU16(this.bytes, this.offset);
    this.offset += 2;
    return v;
  }

  private u32(what: string): number {
    this.need(4, what);
    const v = readU32(this.bytes, this.offset);
    this.offset += 4;
    return v;
  }

  private f64(what: string): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.offset);
    this.offset += 8;
    return v;
  }

  private utf8(length: number, what: string): string {
    if (length > this.limits.maxStringLength) {
      throw new ParseError('amf0-too-long', `amf0 ${what}: length ${length} exceeds limit ${this.limits.maxStringLength}`);
    }
    this.need(length, what);
    const text = utf8.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  shortString(what: string): string {
    return this.utf8(this.u16(`${what} length`), what);
  }

  value(depth: number): Amf0Value {
    if (depth > this.limits.maxDepth) {
      throw new ParseError('amf0-too-deep', `amf0: nesting deeper than ${this.limits.maxDepth}`);
    }
    const at = this.offset;
    const marker = this.u8('marker');
    switch (marker) {
      case Amf0Marker.Number:
        return this.f64('number');
      case Amf0Marker.Boolean:
        return this.u8('boolean') !== 0;
      case Amf0Marker.String:
        return this.shortString('string');
      case Amf0Marker.LongString:
      case Amf0Marker.XmlDocument:
        return this.utf8(this.u32('long string length'), 'long string');
      case Amf0Marker.Null:
        return null;
      case Amf0Marker.Undefined:
      case Amf0Marker.Unsupported:
        return undefined;
      case Amf0Marker.Object:
        return this.properties(new Amf0Object([], 'object'), depth);
      case Amf0Marker.TypedObject: {
        const className = this.shortString('typed object class name');
        return this.properties(new Amf0Object([], 'typed-object', className), depth);
      }
      case Amf0Marker.EcmaArray: {
        // The count is only a hint (encoders get it wrong); the object-end marker terminates.
        this.u32('ecma array count');
        return this.properties(new Amf0Object([], 'ecma-array'), depth);
      }
      case Amf0Marker.StrictArray: {
        const count = this.u32('strict array count');
        if (count > this.limits.maxEntries) {
          throw new ParseError('amf0-too-long', `amf0 strict array: ${count} elements exceeds limit ${this.limits.maxEntries}`);
        }
        const items: Amf0Value[] = [];
        for (let i = 0; i < count; i++) items.push(this.value(depth + 1));
        return items;
      }
      case Amf0Marker.Date: {
        const epochMs = this.f64('date');
        const tz = this.u16('date time zone');
        return new Amf0Date(epochMs, tz > 0x7fff ? tz - 0x10000 : tz);
      }
      default:
        throw new ParseError('amf0-unsupported-type', `amf0: unsupported marker 0x${marker.toString(16).padStart(2, '0')} at offset ${at}`);
    }
  }

  private properties(object: Amf0Object, depth: number): Amf0Object {
    for (;;) {
      const key = this.shortString('property name');
      if (key === '') {
        // An empty key followed by the object-end marker closes the object.
        const end = this.u8('object end');
        if (end !== Amf0Marker.ObjectEnd) {
          throw new ParseError('amf0-invalid', `amf0: expected object end marker, got 0x${end.toString(16)} at offset ${this.offset - 1}`);
        }
        return object;
      }
      if (object.entries.length >= this.limits.maxEntries) {
        throw new ParseError('amf0-too-long', `amf0 object: more than ${this.limits.maxEntries} entries`);
      }
      object.entries.push([key, this.value(depth + 1)]);
    }
  }
}

/** Decodes every AMF0 value in `bytes` (a command or data message body is a sequence of values). */
export function decodeAmf0(bytes: Uint8Array, limits: Amf0Limits = defaultAmf0Limits): Amf0Value[] {
  const decoder = new Amf0Decoder(bytes, limits);
  const values: Amf0Value[] = [];
  while (!decoder.done) values.push(decoder.value(0));
  return values;
}

/** Decodes exactly one AMF0 value at the start of `bytes`; returns it and the bytes it used. */
export function decodeAmf0Value(bytes: Uint8Array, limits: Amf0Limits = defaultAmf0Limits): { value: Amf0Value; length: number } {
  const decoder = new Amf0Decoder(bytes, limits);
  const value = decoder.value(0);
  return { value, length: decoder.offset };
}

class Amf0Encoder {
  private parts: Uint8Array[] = [];
  private size = 0;

  private push(part: Uint8Array): void {
    this.parts.push(part);
    this.size += part.length;
  }

  private u8(v: number): void {
    this.push(Uint8Array.of(v));
  }

  private u16(v: number): void {
    this.push(encodeU16(v));
  }

  private u32(v: number): void {
    this.push(encodeU32(v));
  }

  private f64(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v);
    this.push(b);
  }

  private shortString(text: string): void {
    const bytes = utf8Encoder.encode(text);
    if (bytes.length > 0xffff) throw new RangeError(`amf0: property name longer than 65535 bytes`);
    this.u16(bytes.length);
    this.push(bytes);
  }

  value(value: Amf0Value): void {
    if (typeof value === 'number') {
      this.u8(Amf0Marker.Number);
      this.f64(value);
    } else if (typeof value === 'boolean') {
      this.u8(Amf0Marker.Boolean);
      this.u8(value ? 1 : 0);
    } else if (typeof value === 'string') {
      const bytes = utf8Encoder.encode(value);
      if (bytes.length > 0xffff) {
        this.u8(Amf0Marker.LongString);
        this.u32(bytes.length);
      } else {
        this.u8(Amf0Marker.String);
        this.u16(bytes.length);
      }
      this.push(bytes);
    } else if (value === null) {
      this.u8(Amf0Marker.Null);
    } else if (value === undefined) {
      this.u8(Amf0Marker.Undefined);
    } else if (Array.isArray(value)) {
      this.u8(Amf0Marker.StrictArray);
      this.u32(value.length);
      for (const item of value) this.value(item);
    } else if (value instanceof Amf0Date) {
      this.u8(Amf0Marker.Date);
      this.f64(value.epochMs);
      this.u16(value.timeZone & 0xffff);
    } else {
      if (value.kind === 'ecma-array') {
        this.u8(Amf0Marker.EcmaArray);
        this.u32(value.entries.length);
      } else if (value.kind === 'typed-object') {
        this.u8(Amf0Marker.TypedObject);
        this.shortString(value.className);
      } else {
        this.u8(Amf0Marker.Object);
      }
      for (const [key, item] of value.entries) {
        this.shortString(key);
        this.value(item);
      }
      this.u16(0);
      this.u8(Amf0Marker.ObjectEnd);
    }
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

/** Encodes a sequence of AMF0 values back to back. */
export function encodeAmf0(values: readonly Amf0Value[]): Uint8Array {
  const encoder = new Amf0Encoder();
  for (const value of values) encoder.value(value);
  return encoder.finish();
}

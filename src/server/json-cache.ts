// The JSON text of a result the core shares between requests (ready work of one snapshot): written
// once, sent to every client that asks, instead of serialising a megabyte per request.

const texts = new WeakMap<object, Buffer>();

/** UTF-8 bytes, so that not even the encoding is paid per request. */
export function sharedJson(value: object): Buffer {
  let text = texts.get(value);
  if (text === undefined) {
    text = Buffer.from(JSON.stringify(value));
    texts.set(value, text);
  }
  return text;
}

// JsonDocuments: JSON text documents passed to jsonb as one array, without escaping them again.
import { describe, expect, it } from 'vitest';
import { JsonDocuments } from '../../src/store/sql.ts';

const documents = ['{"content":"主播 👋🏻 \\"quoted\\""}', '[1,2]', '"a\\\\b"', 'null'];

describe('JsonDocuments', () => {
  it('is the JSON array of its documents, in order', () => {
    const text = new JsonDocuments(documents).text();
    expect(JSON.parse(text)).toEqual(documents.map((document) => JSON.parse(document)));
  });

  it("encodes jsonb's binary input: version 1, then the same array as UTF-8", () => {
    const bytes = new JsonDocuments(documents).jsonbBinary();
    expect(bytes[0]).toBe(1);
    expect(bytes.subarray(1).toString('utf8')).toBe(new JsonDocuments(documents).text());
  });

  it('encodes no documents as an empty array', () => {
    expect(new JsonDocuments([]).jsonbBinary()).toEqual(Buffer.from([1, 0x5b, 0x5d]));
  });
});

// Checks an HTTP answer against an OpenAPI 3.1 document: the operation and its status must be
// documented, the content type must be one the response lists, the body must validate against
// its schema and the documented headers against theirs. Schemas are JSON Schema 2020-12 (what
// OpenAPI 3.1 uses), validated by ajv with its formats, resolved in place inside the document
// (so `#/components/...` references work as any OpenAPI tool reads them).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its module object arrives, the plugin as its `default`.
const addFormats = formats.default;

type Doc = { readonly [key: string]: unknown };

export interface Answer {
  method: string;
  /** The route's path, without the query string. */
  path: string;
  status: number;
  headers: Headers;
  text: string;
}

const DOC_ID = 'https://gateway.invalid/openapi.json';

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function at(doc: Doc, pointer: string): unknown {
  let node: unknown = doc;
  for (const segment of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Doc)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

export interface OpenApiChecker {
  /** What is wrong with the answer; empty when it is as documented. */
  problems(answer: Answer): string[];
  /** Every documented operation as `METHOD path`. */
  operations(): string[];
}

/** wrongMethod: where the document describes the 405 for a method a path does not take. */
export function openApiChecker(doc: Doc, wrongMethod = '/components/responses/MethodNotAllowed'): OpenApiChecker {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // The document is added whole so references resolve as in any OpenAPI tool; its own top-level
  // fields (openapi, info, paths, components, …) are not schema keywords, so strict mode is told.
  ajv.addVocabulary(Object.keys(doc));
  ajv.addSchema({ ...doc, $id: DOC_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (validate === undefined) {
      validate = ajv.getSchema(`${DOC_ID}#${pointer}`);
      if (validate === undefined) throw new Error(`no schema at ${pointer}`);
      compiled.set(pointer, validate);
    }
    return validate;
  };
  /** Follows a `$ref` (within the document) from the node at pointer; returns where it lands. */
  const resolve = (pointer: string): string => {
    const node = at(doc, pointer) as { $ref?: string } | undefined;
    return typeof node?.$ref === 'string' && node.$ref.startsWith('#/') ? resolve(node.$ref.slice(1)) : pointer;
  };
  const paths = (doc.paths ?? {}) as Doc;

  return {
    operations: () => Object.entries(paths).flatMap(([path, item]) => Object.keys(item as Doc).map((method) => `${method.toUpperCase()} ${path}`)),
    problems(answer) {
      const where = `${answer.method} ${answer.path} → ${answer.status}`;
      const item = at(doc, `/paths/${escape(answer.path)}`) as Doc | undefined;
      if (item === undefined) return [`${where}: the document has no such path`];
      const problems: string[] = [];
      let response: string | null;
      if (item[answer.method.toLowerCase()] === undefined) {
        // A method the path does not take: the document's 405, naming the methods it does take.
        if (answer.status !== 405) return [`${where}: the document has no such operation`];
        response = wrongMethod;
        const allowed = Object.keys(item).map((method) => method.toUpperCase());
        if (answer.headers.get('allow') !== allowed.join(', ')) problems.push(`${where}: Allow is ${answer.headers.get('allow')}, not ${allowed.join(', ')}`);
      } else {
        const operation = `/paths/${escape(answer.path)}/${answer.method.toLowerCase()}`;
        response = at(doc, `${operation}/responses/${answer.status}`) === undefined ? null : resolve(`${operation}/responses/${answer.status}`);
      }
      if (response === null) return [`${where}: status ${answer.status} is not documented for this operation`];
      const headers = (at(doc, `${response}/headers`) ?? {}) as Doc;
      for (const [name, header] of Object.entries(headers)) {
        const value = answer.headers.get(name);
        if (value === null) {
          if ((header as { required?: boolean }).required === true) problems.push(`${where}: header ${name} is missing`);
          continue;
        }
        const validate = validator(`${resolve(`${response}/headers/${escape(name)}`)}/schema`);
        if (!validate(value)) problems.push(`${where}: header ${name}: ${value} ${ajv.errorsText(validate.errors)}`);
      }
      const content = (at(doc, `${response}/content`) ?? {}) as Doc;
      const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (!(type in content)) return [...problems, `${where}: content type ${type || '(none)'} is not one of ${Object.keys(content).join(', ')}`];
      let body: unknown;
      try {
        body = JSON.parse(answer.text);
      } catch {
        return [...problems, `${where}: the body is not JSON: ${answer.text.slice(0, 200)}`];
      }
      const validate = validator(`${response}/content/${escape(type)}/schema`);
      if (!validate(body)) {
        for (const error of validate.errors ?? []) problems.push(`${where}: body${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
      }
      return problems;
    },
  };
}

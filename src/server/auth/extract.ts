// Where each transport carries the API token. Every helper returns null when absent, never ''.

function present(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** `?token=…`: the vendor GET routes. */
export function tokenFromQuery(url: URL | string): string | null {
  const parsed = typeof url === 'string' ? new URL(url, 'http://localhost') : url;
  return present(parsed.searchParams.get('token'));
}

/** `Access-Token: …`: the vendor POST route. */
export function tokenFromAccessTokenHeader(headers: Headers): string | null {
  return present(headers.get('access-token'));
}

/** `Authorization: Bearer …`: GraphQL over HTTP and SSE. */
export function tokenFromBearer(headers: Headers): string | null {
  return bearerValue(headers.get('authorization'));
}

function bearerValue(header: string | null | undefined): string | null {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match === null ? null : present(match[1]);
}

/** graphql-ws `connectionParams.token`; an `Authorization: Bearer …` param is accepted too. */
export function tokenFromConnectionParams(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  const record = params as Record<string, unknown>;
  if (typeof record.token === 'string') return present(record.token);
  const authorization = record.Authorization ?? record.authorization;
  return typeof authorization === 'string' ? bearerValue(authorization) : null;
}

/** Vendor routes: the query parameter, else the Access-Token header, else a bearer token. */
export function tokenFromVendorRequest(request: Request): string | null {
  return tokenFromQuery(request.url) ?? tokenFromAccessTokenHeader(request.headers) ?? tokenFromBearer(request.headers);
}

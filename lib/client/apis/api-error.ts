// Reads MongoDB's ApiError body: `{ "error": <status>, "errorCode": "…", "detail": "…", … }`.
import type { HttpResponse } from '../http/transport';

export interface ApiErrorFields {
  readonly errorCode?: string;
  readonly detail?: string;
}

/** Parses a JSON body, or returns undefined when it is empty or not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The errorCode and detail of an ApiError body (a JSON object with a numeric `error` and a string
 * `errorCode`), or undefined when the body is not one: an HTML page from a proxy, an empty body, ….
 */
export function parseApiError(response: HttpResponse): ApiErrorFields | undefined {
  const body = parseJson(response.text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { error, errorCode, detail } = body as Record<string, unknown>;
  if (typeof error !== 'number' || typeof errorCode !== 'string') return undefined;
  return { errorCode, ...(typeof detail === 'string' ? { detail } : {}) };
}

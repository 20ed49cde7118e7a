// Kling's request bodies as JSON text. Kling documents `element_list[].element_id` as a long (docs/providers.md
// §5.4); its ids run past 2^53, so a JavaScript number would change their last digits. Storyreel keeps every
// element id as a string of digits, and this serializer writes such a string as a bare JSON number with
// exactly those digits: {"element_id": 860213457198923776123}. Pure.
import { randomUUID } from 'node:crypto';
import { LIBRARY_ELEMENT_ID } from '../../../shared/validate';

/** The problem with one element id, or undefined when it is a string of digits. */
export function klingElementIdProblem(id: unknown): string | undefined {
  if (typeof id === 'string' && LIBRARY_ELEMENT_ID.test(id)) return undefined;
  if (typeof id === 'number') return `${id} is held as a number, which may already have lost digits; element ids are kept as strings of digits`;
  return `${JSON.stringify(id)} is not a Kling element id (digits only, e.g. 860213457198923776)`;
}

/**
 * JSON text for a Kling request body, with each `element_id` inside `element_list` written as a bare number.
 * Throws when an element id is not a string of digits (the body is then never sent). `indent` as in
 * JSON.stringify (the golden files are written with 2).
 */
export function klingRequestJson(body: unknown, indent?: number): string {
  // A marker no prompt can contain: JSON.stringify escapes U+0000, and the nonce is new on every call.
  const marker = `\u0000kling-id-${randomUUID()}:`;
  /** The entries of every element_list seen so far (JSON.stringify visits a list before its entries). */
  const entries = new WeakSet<object>();
  const text = JSON.stringify(
    body,
    function (this: unknown, key, value: unknown) {
      if (key === 'element_list' && Array.isArray(value)) for (const e of value) if (typeof e === 'object' && e) entries.add(e);
      if (key === 'element_id' && typeof this === 'object' && this && entries.has(this)) {
        const problem = klingElementIdProblem(value);
        if (problem) throw new KlingElementIdError(problem);
        return `${marker}${value as string}`;
      }
      return value;
    },
    indent,
  );
  const quoted = JSON.stringify(marker).slice(0, -1); // "\u0000kling-id-…:  (opening quote, no closing one)
  return text.split(quoted).map((part, i) => (i === 0 ? part : part.replace(/^(\d+)"/, '$1'))).join('');
}

export class KlingElementIdError extends Error {
  constructor(readonly problem: string) {
    super(`element_id: ${problem}`);
    this.name = 'KlingElementIdError';
  }
}

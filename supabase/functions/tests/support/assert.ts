// Small assertions for the Deno tests (jsr:@std/assert is not available offline; node:assert pulls in
// @types/node). Deep equality covers what the tests compare: primitives, arrays, plain objects, Sets.

export class AssertionError extends Error {}

export function assert(value: unknown, message = "assertion failed"): asserts value {
  if (!value) throw new AssertionError(message);
}

function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length &&
    ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const show = (x: unknown) => x instanceof Set ? `Set(${JSON.stringify([...x])})` : JSON.stringify(x);

export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  if (!equal(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(actual)) throw new AssertionError(`${message ? message + ": " : ""}${show(actual)} does not match ${pattern}`);
}

export async function assertRejects(fn: () => Promise<unknown>, check?: (e: Error) => void): Promise<void> {
  let error: unknown = null;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert(error, "expected a rejection");
  check?.(error as Error);
}

// JSON Merge Patch (RFC 7386), the patch format of SettingsStore.update: objects merge key by
// key, `null` removes a key (so the schema default applies again), anything else replaces.
// A pure function; the result shares no objects with the patch.

export type MergePatch<T> = T extends readonly unknown[]
  ? T | null
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T | null;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else {
      // defineProperty, not assignment: a `__proto__` key stays a plain (and then rejected) key.
      Object.defineProperty(out, key, {
        value: applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

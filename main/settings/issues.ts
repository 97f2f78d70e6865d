// Turning validation failures into per-field messages a settings form can show inline, and
// spotting secret-looking fields before they can be written to the settings file.
import type { z } from 'zod';

/** One problem with one field. `path` is dotted (`proxy.url`, `relay.allowedOrigins.0`); '' is the whole file. */
export interface FieldIssue {
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

const EXPECTED: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a group of settings (an object)',
  array: 'a list',
};

/** Plain-language messages for zod's built-in checks (custom rules carry their own). */
export const settingsErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'too_big':
      return `Must be at most ${String(issue.maximum)}${issue.inclusive === false ? ' (exclusive)' : ''}${issue.origin === 'array' ? ' entries' : ''}.`;
    case 'too_small':
      if (issue.origin === 'number' && issue.inclusive === false) return `Must be greater than ${String(issue.minimum)}.`;
      return `Must be at least ${String(issue.minimum)}${issue.origin === 'array' ? ' entries' : ''}.`;
    case 'invalid_type':
      if (issue.input === undefined) return 'Required.';
      return `Expected ${EXPECTED[issue.expected] ?? issue.expected}.`;
    case 'invalid_value':
      return `Must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    default:
      return undefined;
  }
};

// Matched against the end of a key: `clientSecret`, `password`, `apiKey`, `accessToken` are caught,
// while `bypass`, `secrets` (the section naming the secret store) and `maxTopicsPerChannel` are not.
const SECRET_FIELD = /(^pass$|passw(or)?d|passphrase|secret|token|api[-_]?key|credentials?|private[-_]?key|authorization|cookie)$/i;

export function secretFieldMessage(path: string): string {
  return `"${path}" looks like a secret. Secrets are kept in the OS keychain, never in the settings file: `
    + 'save it through the secret store (genesys.clientSecret, proxy.password, influx.token, relay.token).';
}

/** Keys anywhere in `value` that look like they hold a secret (password, token, apiKey…). */
export function findSecretFields(value: unknown, path: PropertyKey[] = []): FieldIssue[] {
  if (value === null || typeof value !== 'object') return [];
  const out: FieldIssue[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (SECRET_FIELD.test(key)) out.push({ path: formatPath(childPath), message: secretFieldMessage(formatPath(childPath)) });
    else out.push(...findSecretFields(child, childPath));
  }
  return out;
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        out.push({ path, message: SECRET_FIELD.test(key) ? secretFieldMessage(path) : 'Unknown setting (check the spelling).' });
      }
    } else if (issue.code === 'invalid_key') {
      out.push({ path: formatPath(issue.path), message: issue.issues[0]?.message ?? issue.message });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

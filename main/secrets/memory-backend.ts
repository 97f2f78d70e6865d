// Session-only storage: the fallback when no keychain is usable, and the store for tests of code
// that needs secrets but not persistence. Values are lost when the process exits, by design.
import type { SecretName } from './secret-names.ts';
import type { SecretBackend, SecretBackendInfo } from './secret-store.ts';

export class MemoryBackend implements SecretBackend {
  readonly info: SecretBackendInfo = {
    kind: 'memory',
    description: 'In memory for this session only (nothing is saved)',
    persistent: false,
  };
  readonly #values = new Map<SecretName, string>();

  constructor(initial: Iterable<readonly [SecretName, string]> = []) {
    for (const [name, value] of initial) this.#values.set(name, value);
  }

  async read(name: SecretName): Promise<string | undefined> {
    return this.#values.get(name);
  }

  async write(name: SecretName, value: string): Promise<void> {
    this.#values.set(name, value);
  }

  async remove(name: SecretName): Promise<boolean> {
    return this.#values.delete(name);
  }
}

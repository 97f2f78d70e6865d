// The headless host hands the dashboard its access token in the URL fragment (`#token=…`), which
// a browser never sends to a server. The page takes it, removes it from the address bar (so it is
// not in screenshots, bookmarks or shared links) and keeps it in sessionStorage for reloads of
// this tab only.

const STORAGE_KEY = 'pacekeeper.bridgeToken';
const TOKEN = /^[A-Za-z0-9_-]{22,512}$/;

export interface TokenSources {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/** The token from the fragment (then stripped) or from this tab's earlier visit; null when none. */
export function takeAccessToken(src: TokenSources): string | null {
  const params = new URLSearchParams(src.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash !== null) {
    params.delete('token');
    const rest = params.toString();
    src.history.replaceState(null, '', `${src.location.pathname}${src.location.search}${rest ? `#${rest}` : ''}`);
    if (TOKEN.test(fromHash)) {
      safeSet(src.storage, fromHash);
      return fromHash;
    }
    return null;
  }
  const stored = safeGet(src.storage);
  return stored !== null && TOKEN.test(stored) ? stored : null;
}

function safeGet(storage: TokenSources['storage']): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled by policy
  }
}

function safeSet(storage: TokenSources['storage'], token: string): void {
  try {
    storage?.setItem(STORAGE_KEY, token);
  } catch {
    // Without storage a reload needs the link again; nothing else is lost.
  }
}

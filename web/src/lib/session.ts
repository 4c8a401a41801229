// The signed-in token lives in sessionStorage: it survives reloads of this tab and disappears
// when the tab closes. Components read it through useSyncExternalStore (see useSessionToken).
const storageKey = 'pinion.token';

export type SessionEndReason = 'signed-out' | 'rejected';

type Listener = () => void;
const listeners = new Set<Listener>();
let lastEndReason: SessionEndReason | undefined;

function notify() {
  for (const listener of listeners) listener();
}

export const session = {
  getToken(): string | null {
    return sessionStorage.getItem(storageKey);
  },

  start(token: string) {
    sessionStorage.setItem(storageKey, token);
    lastEndReason = undefined;
    notify();
  },

  end(reason: SessionEndReason) {
    if (sessionStorage.getItem(storageKey) === null) return;
    sessionStorage.removeItem(storageKey);
    lastEndReason = reason;
    notify();
  },

  /** Why the last session ended, so the sign-in page can say so. */
  lastEndReason(): SessionEndReason | undefined {
    return lastEndReason;
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

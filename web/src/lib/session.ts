// The signed-in token lives in sessionStorage: it survives reloads of this tab and disappears
// when the tab closes. Components read it through useSyncExternalStore (see useSessionToken).
const storageKey = 'pinion.token';
const endedKey = 'pinion.session-ended';

export type SessionEndReason = 'signed-out' | 'rejected';

type Listener = () => void;
const listeners = new Set<Listener>();

function notify() {
  for (const listener of listeners) listener();
}

export const session = {
  getToken(): string | null {
    return sessionStorage.getItem(storageKey);
  },

  start(token: string) {
    sessionStorage.setItem(storageKey, token);
    sessionStorage.removeItem(endedKey);
    notify();
  },

  end(reason: SessionEndReason) {
    if (sessionStorage.getItem(storageKey) === null) return;
    sessionStorage.removeItem(storageKey);
    sessionStorage.setItem(endedKey, reason);
    notify();
  },

  /** Why the last session ended, so the sign-in page can say so. */
  lastEndReason(): SessionEndReason | undefined {
    const reason = sessionStorage.getItem(endedKey);
    return reason === 'signed-out' || reason === 'rejected' ? reason : undefined;
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

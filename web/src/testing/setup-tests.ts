import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Testing Library moves fake timers on while it waits (findBy*, waitFor) only when it sees Jest's;
// Vitest's have the same API. Without this, a test on a standing clock would wait forever.
Object.assign(globalThis, {
  jest: { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) },
});

// jsdom knows <dialog> but not its modal behaviour: opening and closing is all the component
// tests need. Focus trapping and Escape are the browser's, and tested in one (e2e/).
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.open = true;
};
HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
  this.open = false;
};

// jsdom lays nothing out and only complains when the router restores the scroll position.
window.scrollTo = () => undefined;

afterEach(() => {
  cleanup();
  // A test that failed half-way must not leave its standing clock to the next file.
  vi.useRealTimers();
  sessionStorage.clear();
});

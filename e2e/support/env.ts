// The control plane the tests start (see playwright.config.ts): its own port (PINION_E2E_PORT
// when 4310 is taken), an in-memory database, and an admin token known to the tests.
export const port = Number(process.env.PINION_E2E_PORT ?? 4310);
export const baseURL = `http://localhost:${port}`;
export const adminToken = 'e2e-admin-token-0123456789';
/** Who the server says the bootstrap admin token belongs to (pin history shows it as actor). */
export const adminActor = 'initial-admin';

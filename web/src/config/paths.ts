// Every route of the dashboard, defined once: the router uses `path`, links use `getHref`.
export const paths = {
  signIn: {
    path: '/sign-in',
    getHref: (redirectTo?: string) =>
      redirectTo && redirectTo !== '/'
        ? `/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`
        : '/sign-in',
  },
  home: { path: '/', getHref: () => '/' },
  sites: { path: '/sites', getHref: (search?: string) => (search ? `/sites?${search}` : '/sites') },
  site: { path: '/sites/:key', getHref: (key: string) => `/sites/${encodeURIComponent(key)}` },
  rollouts: {
    path: '/rollouts',
    getHref: (search?: string) => (search ? `/rollouts?${search}` : '/rollouts'),
  },
  newRollout: { path: '/rollouts/new', getHref: () => '/rollouts/new' },
  rollout: { path: '/rollouts/:id', getHref: (id: number) => `/rollouts/${id}` },
  sensors: { path: '/sensors', getHref: () => '/sensors' },
} as const;

/** Only same-origin paths: a crafted sign-in link must not send the user elsewhere. */
export function safeRedirect(target: string | null): string {
  // '//host' and '/\host' are protocol-relative URLs to another origin.
  if (!target || !/^\/(?![/\\])/.test(target)) return paths.sites.getHref();
  return target;
}

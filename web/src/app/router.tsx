import { createBrowserRouter, Navigate } from 'react-router';
import type { RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { paths } from '@/config/paths';
import { AppRoot } from './routes/app-root';
import { NotFoundRoute } from './routes/not-found';
import { PlanRolloutRoute } from './routes/plan-rollout';
import { RolloutRoute } from './routes/rollout';
import { RolloutsRoute } from './routes/rollouts';
import { RouteError } from './routes/route-error';
import { SensorsRoute } from './routes/sensors';
import { SignInRoute } from './routes/sign-in';
import { SiteRoute } from './routes/site';
import { SitesRoute } from './routes/sites';

export const routes: RouteObject[] = [
  { path: paths.signIn.path, element: <SignInRoute />, errorElement: <RouteError /> },
  {
    path: paths.home.path,
    element: <AppRoot />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to={paths.sites.getHref()} replace /> },
      { path: paths.sites.path, element: <SitesRoute /> },
      { path: paths.site.path, element: <SiteRoute /> },
      { path: paths.rollouts.path, element: <RolloutsRoute /> },
      { path: paths.newRollout.path, element: <PlanRolloutRoute /> },
      { path: paths.rollout.path, element: <RolloutRoute /> },
      { path: paths.sensors.path, element: <SensorsRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

// Created once, outside React, as React Router's data mode expects.
const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}

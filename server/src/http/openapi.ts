import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentRoutes } from './route.ts';
import type { Route } from './route.ts';

export function buildOpenApiDocument(routes: Route[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token. Unleash SDKs may send the raw token without the Bearer prefix.',
  });
  documentRoutes(registry, routes);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Pinion',
      version: '1',
      description:
        'Control plane for per-site API versions: sites, pins, versions, tokens, audit, and the Unleash client API.',
    },
  });
}

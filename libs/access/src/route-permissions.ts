import { Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PERMISSION_KEY } from '@tradelane/http';

export interface DeclaredRoute {
  method: string;
  path: string;
  handler: string;
  permission: string | undefined;
}

/** Every HTTP route the app's controllers register, with the permission each declares. */
export function declaredRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector) {
  const routes: DeclaredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    const proto = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(proto)) {
      const fn = (proto as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue; // a bus handler, not a route
      routes.push({
        method: RequestMethod[method],
        path: `/${[base, path]
          .map((p) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`,
        handler: `${metatype.name}.${name}`,
        permission: reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [fn as never, metatype]),
      });
    }
  }
  return routes;
}

/** Refuses to start a process with a route that declares no permission (`@Allow`, `@Authenticated` or `@Public`). */
@Injectable()
export class RoutePermissions implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): DeclaredRoute[] {
    return declaredRoutes(this.discovery, this.scanner, this.reflector);
  }

  onModuleInit(): void {
    const missing = this.routes().filter((r) => !r.permission);
    if (missing.length)
      throw new Error(
        `every route declares its permission (@Allow, @Authenticated or @Public from @tradelane/http); these do not: ${missing
          .map((r) => `${r.method} ${r.path} (${r.handler})`)
          .join(', ')}`,
      );
  }
}

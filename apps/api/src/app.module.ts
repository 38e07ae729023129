import { Module } from '@nestjs/common';
import { processModules } from '@tradelane/composition';

/** The HTTP API (and, on the embedded default, the worker too). Same modules as the worker: the role is set in main.ts. */
@Module({ imports: processModules() })
export class ApiModule {}

import { INestApplication } from '@nestjs/common';
import { BusExceptionFilter, BusTransport } from './bus.transport';

/** Attaches the bus transport to an app (worker role) and starts consuming. */
export async function startBusConsumers(app: INestApplication): Promise<void> {
  const microservice = app.connectMicroservice({ strategy: app.get(BusTransport) }, { inheritAppConfig: false });
  microservice.useGlobalFilters(new BusExceptionFilter());
  await app.startAllMicroservices();
}

import { INestApplication } from '@nestjs/common';
import { BusExceptionFilter, BusTransport } from './bus.transport';

/** Attaches the bus transport to an app (worker role) and starts consuming. */
export async function startBusConsumers(app: INestApplication): Promise<void> {
  // deferInitialization: otherwise Nest registers the handlers at connect time, before the filter is set.
  const microservice = app.connectMicroservice(
    { strategy: app.get(BusTransport) },
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new BusExceptionFilter());
  await app.startAllMicroservices();
}

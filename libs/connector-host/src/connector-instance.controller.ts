import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import { ConnectorDeliveryService } from './connector-delivery.service';
import {
  AddInstanceDto,
  BackfillDto,
  BackfillRequestDto,
  CheckResultDto,
  DeliveryQueryDto,
  InstalledConnectorDto,
  InstanceDto,
  InstanceStatusDto,
  OutboundDeliveryDto,
  OutboundDeliveryPageDto,
  ReconcileRequestDto,
  ReconciliationDto,
  ResendRequestDto,
  ResendResultDto,
  ResolveRequestDto,
  RotateResultDto,
  toBackfillDto,
} from './connector-instance.dto';
import { ConnectorInstanceService } from './connector-instance.service';
import { ConnectorReconcileService } from './connector-reconcile.service';

@ApiTags('connectors')
@Controller()
@UseFilters(AppErrorFilter)
export class ConnectorInstanceController {
  constructor(
    private readonly instances: ConnectorInstanceService,
    private readonly reconciler: ConnectorReconcileService,
    private readonly deliveryOps: ConnectorDeliveryService,
  ) {}

  @Get('connectors')
  @Allow('connectors:read')
  @ApiOperation({ summary: 'Installed connectors, with their capabilities and configuration schema' })
  @ApiOkResponse({ type: [InstalledConnectorDto] })
  installed(): InstalledConnectorDto[] {
    return this.instances.installed();
  }

  @Get('connector-instances')
  @Allow('connectors:read')
  @ApiOperation({ summary: 'Configured instances (secrets never shown)' })
  @ApiOkResponse({ type: [InstanceDto] })
  list(): Promise<InstanceDto[]> {
    return this.instances.list();
  }

  @Post('connector-instances')
  @Allow('connectors:write')
  @ApiOperation({ summary: 'Add an instance: configuration validated, secrets sealed (AES-256-GCM)' })
  @ApiOkResponse({ type: InstanceDto })
  @ApiBadRequestResponse({ description: 'Unknown connector or invalid configuration (the field is named)' })
  @ApiConflictResponse({ description: 'An instance with that name exists' })
  @HttpCode(201)
  add(@Body() body: AddInstanceDto): Promise<InstanceDto> {
    return this.instances.add(body);
  }

  @Get('connector-instances/:id')
  @Allow('connectors:read')
  @ApiOperation({ summary: 'One instance with its status: streams, freshness lag, dead letters, health' })
  @ApiOkResponse({ type: InstanceStatusDto })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<InstanceStatusDto> {
    return this.instances.status(id);
  }

  @Post('connector-instances/:id/check')
  @Allow('connectors:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check credentials and reachability (coded result: ok, auth, config, retryable...)',
  })
  @ApiOkResponse({ type: CheckResultDto })
  @ApiNotFoundResponse()
  check(@Param('id') id: string): Promise<CheckResultDto> {
    return this.instances.check(id);
  }

  @Post('connector-instances/:id/reconcile')
  @Allow('connectors:write')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Compare the source's keys with the CRM: missing keys, days whose counts differ; optionally re-pull them",
  })
  @ApiOkResponse({ type: ReconciliationDto })
  @ApiNotFoundResponse()
  reconcile(@Param('id') id: string, @Body() body: ReconcileRequestDto): Promise<ReconciliationDto> {
    return this.reconciler.reconcile(id, body);
  }

  @Post('connector-instances/:id/backfill')
  @Allow('connectors:write')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Reload history (one stream or all) on the backfill lane, without outbound CRM events',
  })
  @ApiOkResponse({ type: [BackfillDto] })
  @ApiConflictResponse({ description: 'A backfill of that stream is already running' })
  async backfill(@Param('id') id: string, @Body() body: BackfillRequestDto): Promise<BackfillDto[]> {
    return (await this.instances.backfill(id, body.stream)).started.map(toBackfillDto);
  }

  @Get('connector-instances/:id/backfills')
  @Allow('connectors:read')
  @ApiOperation({ summary: 'Backfills of the instance, newest first' })
  @ApiOkResponse({ type: [BackfillDto] })
  async backfills(@Param('id') id: string): Promise<BackfillDto[]> {
    return (await this.instances.backfillsOf(id)).map(toBackfillDto);
  }

  @Get('connector-instances/:id/deliveries')
  @Allow('connectors:read')
  @ApiOperation({
    summary:
      'CRM events owed to the instance, newest first, by state (pending, sent, failed, conflict, resolved)',
  })
  @ApiOkResponse({ type: OutboundDeliveryPageDto })
  @ApiNotFoundResponse()
  deliveries(@Param('id') id: string, @Query() q: DeliveryQueryDto): Promise<OutboundDeliveryPageDto> {
    return this.deliveryOps.list(id, q);
  }

  @Post('connector-instances/:id/deliveries/resend')
  @Allow('dead-letters:redrive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Put failed deliveries (one, or every failed one) back in the queue, after a fix',
  })
  @ApiOkResponse({ type: ResendResultDto })
  @ApiConflictResponse({ description: 'The delivery is not failed (a conflict is resolved instead)' })
  resend(@Param('id') id: string, @Body() body: ResendRequestDto): Promise<ResendResultDto> {
    return this.deliveryOps.resend(id, body.messageId);
  }

  @Post('connector-instances/:id/deliveries/:messageId/resolve')
  @Allow('dead-letters:redrive')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Settle a conflict: take=crm sends the CRM's value again (overwriting), take=system pulls the system's record into the CRM",
  })
  @ApiOkResponse({ type: OutboundDeliveryDto })
  @ApiConflictResponse({ description: 'The delivery is not in conflict' })
  resolve(
    @Param('id') id: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Body() body: ResolveRequestDto,
  ): Promise<OutboundDeliveryDto> {
    return this.deliveryOps.resolve(id, messageId, body);
  }

  @Post('secrets/rotate')
  @Allow('connectors:write')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Re-seal every instance's secrets with the first key of this process's TRADELANE_SECRET_KEYS (after a key was put first)",
  })
  @ApiOkResponse({ type: RotateResultDto })
  async rotate(): Promise<RotateResultDto> {
    return { resealed: await this.instances.rotateSecrets() };
  }

  @Post('connector-instances/:id/pause')
  @Allow('connectors:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop pulling (the cursor is kept)' })
  @ApiOkResponse({ type: InstanceDto })
  pause(@Param('id') id: string): Promise<InstanceDto> {
    return this.instances.setState(id, 'paused');
  }

  @Post('connector-instances/:id/resume')
  @Allow('connectors:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pull again from the kept cursor' })
  @ApiOkResponse({ type: InstanceDto })
  resume(@Param('id') id: string): Promise<InstanceDto> {
    return this.instances.setState(id, 'running');
  }
}

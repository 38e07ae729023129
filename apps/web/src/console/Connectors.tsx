import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Form } from '@rjsf/mantine';
import type { RJSFSchema, UiSchema, ValidatorType } from '@rjsf/utils';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components/common';
import { useFormat } from '../format';
import { Backfills, Reconcile } from './InstanceOps';
import { OutboundDeliveries } from './OutboundDeliveries';

/**
 * The form checks types and required fields in the browser; the schema itself is checked by the
 * API on submit (its error names the field). Ajv, rjsf's usual validator, compiles schemas with
 * `new Function`, which the app's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
 */
const serverValidated: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => true,
  rawValidation: () => ({ errors: [] }),
  reset: () => undefined,
};

type Schema = Record<string, unknown>;

/** The connector's config schema as a form: secrets as password fields (write-only), unknown $refs as free objects. */
function formOf(schema: Schema): { schema: RJSFSchema; ui: UiSchema } {
  const ui: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const clean: Record<string, Schema> = {};
  for (const [name, p] of Object.entries(props)) {
    const { $ref: _ref, ...rest } = p;
    clean[name] = rest.type ? rest : { ...rest, type: 'object' };
    if (p['x-secret'] || p.writeOnly)
      ui[name] = { 'ui:widget': 'password', 'ui:help': 'write-only: stored encrypted, never shown again' };
    if (clean[name].type === 'object' && !clean[name].properties)
      ui[name] = { 'ui:widget': 'textarea', 'ui:help': 'JSON' };
  }
  return { schema: { ...schema, properties: clean } as RJSFSchema, ui };
}

export function ConnectorsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const instances = useQuery({
    queryKey: ['instances'],
    queryFn: () => unwrap(api.GET('/connector-instances')),
    refetchInterval: 15_000,
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('connectors.title')}
        </Title>
        <Button component={Link} to="/console/connectors/new">
          {t('connectors.add')}
        </Button>
      </Group>
      <Card withBorder p={0}>
        {instances.isLoading ? (
          <Loading />
        ) : instances.error || !instances.data ? (
          <ErrorState error={instances.error} />
        ) : !instances.data.length ? (
          <EmptyState>{t('connectors.empty')}</EmptyState>
        ) : (
          <Table striped data-testid="instances">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('connectors.instance')}</Table.Th>
                <Table.Th>{t('connectors.connector')}</Table.Th>
                <Table.Th>{t('connectors.state')}</Table.Th>
                <Table.Th>{t('connectors.health')}</Table.Th>
                <Table.Th>{t('connectors.lastCheck')}</Table.Th>
                <Table.Th>{t('connectors.lastSuccess')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {instances.data.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/console/connectors/${encodeURIComponent(i.id)}`}>
                      {i.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{i.connector}</Table.Td>
                  <Table.Td>
                    <StatusBadge value={i.state} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge value={i.health} />
                  </Table.Td>
                  <Table.Td>
                    {i.lastCheck ? `${i.lastCheck.code} · ${f.dateTime(i.lastCheck.at)}` : '—'}
                  </Table.Td>
                  <Table.Td>{f.dateTime(i.lastSuccessAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

export function AddInstancePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const connectors = useQuery({ queryKey: ['connectors'], queryFn: () => unwrap(api.GET('/connectors')) });
  const [connector, setConnector] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [config, setConfig] = useState<Record<string, unknown>>({});
  const chosen = connectors.data?.find((c) => c.id === connector);
  const form = useMemo(() => (chosen ? formOf(chosen.configSchema as Schema) : null), [chosen]);
  const add = useMutation({
    mutationFn: () => {
      const parsed = Object.fromEntries(
        Object.entries(config).map(([k, v]) => {
          if (
            typeof v === 'string' &&
            form?.ui[k] &&
            (form.ui[k] as Record<string, unknown>)['ui:help'] === 'JSON'
          )
            return [k, JSON.parse(v)];
          return [k, v];
        }),
      );
      return unwrap(
        api.POST('/connector-instances', { body: { connector: connector ?? '', name, config: parsed } }),
      );
    },
    onSuccess: (i) => {
      void qc.invalidateQueries({ queryKey: ['instances'] });
      navigate(`/console/connectors/${encodeURIComponent(i.id)}`);
    },
  });
  if (connectors.isLoading) return <Loading />;
  if (connectors.error || !connectors.data) return <ErrorState error={connectors.error} />;
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        {t('connectors.add')}
      </Title>
      <Select
        label={t('connectors.connector')}
        data={connectors.data.map((c) => ({ value: c.id, label: `${c.id} (${c.kind}) ${c.version}` }))}
        value={connector}
        onChange={(v) => {
          setConnector(v);
          setConfig({});
        }}
        searchable
      />
      {chosen && (
        <Text size="sm" c="gray.7">
          {chosen.description}
        </Text>
      )}
      <TextInput
        label={t('connectors.name')}
        description={t('connectors.nameHelp')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        required
      />
      {form && (
        <Card withBorder data-testid="config-form">
          <Form
            schema={form.schema}
            uiSchema={form.ui}
            validator={serverValidated}
            formData={config}
            onChange={(e) => setConfig((e.formData ?? {}) as Record<string, unknown>)}
            showErrorList={false}
          />
        </Card>
      )}
      {add.error && <ErrorState error={add.error} />}
      <Button
        onClick={() => add.mutate()}
        disabled={!connector || !name}
        loading={add.isPending}
        w="fit-content"
      >
        {t('connectors.create')}
      </Button>
    </Stack>
  );
}

export function InstancePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const status = useQuery({
    queryKey: ['instance', id],
    queryFn: () => unwrap(api.GET('/connector-instances/{id}', { params: { path: { id } } })),
    refetchInterval: 10_000,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['instance', id] });
  const check = useMutation({
    mutationFn: () => unwrap(api.POST('/connector-instances/{id}/check', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const pause = useMutation({
    mutationFn: (paused: boolean) =>
      paused
        ? unwrap(api.POST('/connector-instances/{id}/resume', { params: { path: { id } } }))
        : unwrap(api.POST('/connector-instances/{id}/pause', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  if (status.isLoading) return <Loading />;
  if (status.error || !status.data) return <ErrorState error={status.error} />;
  const s = status.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {s.id}
        </Title>
        <Group gap="xs" data-testid="instance-health">
          <StatusBadge value={s.state} />
          <StatusBadge value={s.health} />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder>
          <Text size="xs" c="gray.7">
            {t('connectors.freshnessLag')}
          </Text>
          <Text fw={700}>
            {s.freshnessLagSeconds === null || s.freshnessLagSeconds === undefined
              ? '—'
              : t('connectors.seconds', { n: f.number(s.freshnessLagSeconds) })}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="gray.7">
            {t('connectors.backlog')}
          </Text>
          <Text fw={700}>{f.number(s.backlog)}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="gray.7">
            {t('connectors.deadLetters')}
          </Text>
          <Anchor
            component={Link}
            to={`/console/dead-letters?source=${encodeURIComponent(s.id)}`}
            fw={700}
            aria-label={t('connectors.deadLettersOf', { count: s.deadLetters })}
          >
            {f.number(s.deadLetters)}
          </Anchor>
        </Card>
        <Card withBorder>
          <Text size="xs" c="gray.7">
            {t('connectors.deliveries')}
          </Text>
          <Text fw={700}>
            {t('connectors.deliveryCounts', {
              pending: s.deliveries.pending,
              failed: s.deliveries.failed,
              conflict: s.deliveries.conflict,
            })}
          </Text>
        </Card>
      </SimpleGrid>
      {s.lastError && (
        <Alert color="red" title={t('connectors.lastError')}>
          {s.lastError}
        </Alert>
      )}
      <Group>
        <Button onClick={() => check.mutate()} loading={check.isPending}>
          {t('connectors.check')}
        </Button>
        <Button
          variant="default"
          onClick={() => pause.mutate(s.state === 'paused')}
          loading={pause.isPending}
        >
          {s.state === 'paused' ? t('connectors.resume') : t('connectors.pause')}
        </Button>
      </Group>
      {check.data && (
        <Alert color={check.data.ok ? 'green' : 'red'} role="status" data-testid="check-result">
          {check.data.code}: {check.data.message}
        </Alert>
      )}
      {(check.error || pause.error) && <ErrorState error={check.error ?? pause.error} />}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('connectors.streams')}
        </Title>
        {!s.streams.length ? (
          <EmptyState>{t('connectors.noStreams')}</EmptyState>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('connectors.stream')}</Table.Th>
                <Table.Th>{t('connectors.health')}</Table.Th>
                <Table.Th>{t('connectors.records')}</Table.Th>
                <Table.Th>{t('connectors.lastEvent')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.streams.map((st) => (
                <Table.Tr key={st.stream}>
                  <Table.Td>{st.stream}</Table.Td>
                  <Table.Td>
                    <StatusBadge value={st.health} />
                  </Table.Td>
                  <Table.Td>{f.number(st.records)}</Table.Td>
                  <Table.Td>{f.dateTime(st.lastEventAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Backfills instanceId={id} streams={s.streams.map((st) => st.stream)} />
        <Reconcile instanceId={id} />
      </SimpleGrid>
      <OutboundDeliveries instanceId={id} />
      <Badge variant="outline" w="fit-content" autoContrast>
        {t('connectors.created', { at: f.dateTime(s.createdAt) })}
      </Badge>
    </Stack>
  );
}

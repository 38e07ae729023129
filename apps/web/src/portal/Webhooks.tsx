import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  Group,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components/common';
import { useFormat } from '../format';

type EventType = Schemas['CreateWebhookDto']['eventTypes'][number];

/** Its webhook subscriptions: add one (verified, the secret shown once), open one for its log. */
export function PortalWebhooks() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['webhooks'], queryFn: () => unwrap(api.GET('/partner/v1/webhooks')) });
  const schedule = useQuery({
    queryKey: ['webhook-schedule'],
    queryFn: () => unwrap(api.GET('/partner/v1/webhooks/schedule')),
  });
  const [url, setUrl] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/partner/v1/webhooks', {
          body: { url, eventTypes: eventTypes as EventType[], description: description || undefined },
        }),
      ),
    onSuccess: () => {
      setUrl('');
      setEventTypes([]);
      setDescription('');
      void qc.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const events = schedule.data?.eventTypes ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('webhooks.title')}
      </Title>
      <Card withBorder p={0}>
        {list.isLoading ? (
          <Loading />
        ) : list.error || !list.data ? (
          <ErrorState error={list.error} />
        ) : !list.data.items.length ? (
          <EmptyState>{t('webhooks.empty')}</EmptyState>
        ) : (
          <Table striped data-testid="webhooks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.url')}</Table.Th>
                <Table.Th>{t('webhooks.events')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('webhooks.verified')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/portal/webhooks/${w.id}`}>
                      {w.url}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{w.eventTypes.join(', ')}</Table.Td>
                  <Table.Td>
                    <StatusBadge value={w.status} />
                  </Table.Td>
                  <Table.Td>{f.dateTime(w.verifiedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={2} size="h4">
            {t('webhooks.add')}
          </Title>
          <TextInput
            label={t('webhooks.url')}
            description={t('webhooks.urlHelp')}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            required
          />
          <MultiSelect
            label={t('webhooks.events')}
            data={events}
            value={eventTypes}
            onChange={setEventTypes}
            searchable
          />
          <TextInput
            label={t('webhooks.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          {create.error && <ErrorState error={create.error} />}
          {create.data && (
            <Alert color="green" title={t('webhooks.created')} data-testid="webhook-secret">
              <Text size="sm">{t('webhooks.secretOnce')}</Text>
              <Code>{create.data.secret}</Code>
            </Alert>
          )}
          <Button
            onClick={() => create.mutate()}
            disabled={!url || !eventTypes.length}
            loading={create.isPending}
            w="fit-content"
          >
            {t('webhooks.create')}
          </Button>
        </Stack>
      </Card>
    </Stack>
  );
}

/** One subscription: what is owed (delivery status), every attempt (code, latency, answer), replay, rotation. */
export function PortalWebhook() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [status, setStatus] = useState<'pending' | 'delivered' | 'failed' | null>(null);
  const sub = useQuery({
    queryKey: ['webhook', id],
    queryFn: () => unwrap(api.GET('/partner/v1/webhooks/{id}', { params: { path: { id } } })),
  });
  const deliveries = useQuery({
    queryKey: ['webhook', id, 'deliveries', status],
    queryFn: () =>
      unwrap(
        api.GET('/partner/v1/webhooks/{id}/deliveries', {
          params: { path: { id }, query: { limit: 50, status: status ?? undefined } },
        }),
      ),
    refetchInterval: 10_000,
  });
  const attempts = useQuery({
    queryKey: ['webhook', id, 'attempts'],
    queryFn: () =>
      unwrap(
        api.GET('/partner/v1/webhooks/{id}/attempts', { params: { path: { id }, query: { limit: 50 } } }),
      ),
    refetchInterval: 10_000,
  });
  const replay = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/partner/v1/webhooks/{id}/replay', {
          params: { path: { id } },
          body: { since: new Date(Date.now() - 86_400_000).toISOString() },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['webhook', id] }),
  });
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/partner/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body: {} })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['webhook', id] }),
  });
  if (sub.isLoading) return <Loading />;
  if (sub.error || !sub.data) return <ErrorState error={sub.error} />;
  const w = sub.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {w.url}
        </Title>
        <StatusBadge value={w.status} />
      </Group>
      <Text size="sm" c="gray.7">
        {t('webhooks.meta', { events: w.eventTypes.join(', '), secrets: w.signingSecrets })}
      </Text>
      <Group>
        <Button onClick={() => replay.mutate()} loading={replay.isPending}>
          {t('webhooks.replay24h')}
        </Button>
        <Button variant="default" onClick={() => rotate.mutate()} loading={rotate.isPending}>
          {t('webhooks.rotate')}
        </Button>
      </Group>
      {replay.data && (
        <Alert color="green" role="status" data-testid="replay-result">
          {t('webhooks.replayed', { count: replay.data.replayed })}
        </Alert>
      )}
      {rotate.data && (
        <Alert color="green" title={t('webhooks.rotated')}>
          <Code>{rotate.data.secret}</Code>
        </Alert>
      )}
      {(replay.error || rotate.error) && <ErrorState error={replay.error ?? rotate.error} />}
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            {t('webhooks.deliveries')}
          </Title>
          <Select
            aria-label={t('common.status')}
            data={['pending', 'delivered', 'failed']}
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            clearable
            w={160}
          />
        </Group>
        {!deliveries.data?.items.length ? (
          <EmptyState>{t('webhooks.noDeliveries')}</EmptyState>
        ) : (
          <Table data-testid="webhook-deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.eventId')}</Table.Th>
                <Table.Th>{t('webhooks.event')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('webhooks.attempts')}</Table.Th>
                <Table.Th>{t('webhooks.next')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.data.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {d.eventId}
                    </Text>
                  </Table.Td>
                  <Table.Td>{d.eventType}</Table.Td>
                  <Table.Td>
                    <StatusBadge value={d.status} />
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>
                    {d.status === 'delivered' ? f.dateTime(d.deliveredAt) : f.dateTime(d.nextAttemptAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('webhooks.log')}
        </Title>
        {!attempts.data?.items.length ? (
          <EmptyState>{t('webhooks.noAttempts')}</EmptyState>
        ) : (
          <Table data-testid="webhook-attempts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.at')}</Table.Th>
                <Table.Th>{t('webhooks.attempt')}</Table.Th>
                <Table.Th>{t('webhooks.code')}</Table.Th>
                <Table.Th>{t('webhooks.latency')}</Table.Th>
                <Table.Th>{t('webhooks.answer')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {attempts.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{f.dateTime(a.at)}</Table.Td>
                  <Table.Td>{a.attempt}</Table.Td>
                  <Table.Td>
                    <StatusBadge
                      value={a.ok ? `${a.statusCode ?? ''} ok` : String(a.statusCode ?? a.error ?? 'error')}
                    />
                  </Table.Td>
                  <Table.Td>{a.latencyMs === null ? '—' : `${f.number(a.latencyMs)} ms`}</Table.Td>
                  <Table.Td>
                    <Text size="xs" lineClamp={2}>
                      {a.error ?? a.responseExcerpt ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

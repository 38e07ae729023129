import {
  Alert,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  Progress,
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
import { api, unwrap, type Schemas } from '../api/client';
import { EmptyState, ErrorState, StatusBadge } from '../components/common';
import { useFormat } from '../format';

/**
 * Backfill: reload history of one stream or all on the backfill lane; each run with its records
 * and pages as they grow (read every 2 s while one runs). The source does not say how much history
 * it holds, so a running backfill shows a moving bar and its counts, a finished one its totals.
 */
export function Backfills({ instanceId, streams }: { instanceId: string; streams: string[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [stream, setStream] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['backfills', instanceId],
    queryFn: () =>
      unwrap(api.GET('/connector-instances/{id}/backfills', { params: { path: { id: instanceId } } })),
    refetchInterval: (q) => (q.state.data?.some((b) => b.state === 'running') ? 2_000 : 15_000),
  });
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/connector-instances/{id}/backfill', {
          params: { path: { id: instanceId } },
          body: { stream: stream ?? undefined },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['backfills', instanceId] }),
  });
  const runs = list.data ?? [];
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('ops.backfill')}
      </Title>
      <Text size="sm" c="gray.7" mb="xs">
        {t('ops.backfillHelp')}
      </Text>
      <Group align="flex-end" mb="sm">
        <Select
          label={t('connectors.stream')}
          placeholder={t('ops.allStreams')}
          data={streams}
          value={stream}
          onChange={setStream}
          clearable
          w={220}
        />
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!streams.length}>
          {t('ops.startBackfill')}
        </Button>
      </Group>
      {start.error && <ErrorState error={start.error} />}
      {list.error && <ErrorState error={list.error} />}
      {!runs.length ? (
        <EmptyState>{streams.length ? t('ops.noBackfills') : t('connectors.noStreams')}</EmptyState>
      ) : (
        <Table data-testid="backfills">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('connectors.stream')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th w="30%">{t('ops.progress')}</Table.Th>
              <Table.Th>{t('ops.started')}</Table.Th>
              <Table.Th>{t('ops.finished')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>{b.stream}</Table.Td>
                <Table.Td>
                  <StatusBadge value={b.state} />
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Progress
                      value={100}
                      striped={b.state === 'running'}
                      animated={b.state === 'running'}
                      color={b.state === 'failed' ? 'red' : b.state === 'running' ? 'blue' : 'green'}
                      aria-label={t('ops.progressOf', { stream: b.stream })}
                    />
                    <Text size="xs" c="gray.7">
                      {t('ops.counts', { records: f.number(b.records), pages: f.number(b.pages) })}
                    </Text>
                    {b.error && (
                      <Text size="xs" c="red.9">
                        {b.error}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>{f.dateTime(b.createdAt)}</Table.Td>
                <Table.Td>{f.dateTime(b.finishedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

type Report = Schemas['ReconciliationDto'];

/**
 * Reconcile: the source's keys against the CRM per pull stream (the keys missing here, the days
 * whose counts differ) and, for push and file channels, what arrived per day against what was
 * processed; optionally re-pulls what is missing.
 */
export function Reconcile({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [since, setSince] = useState('');
  const [repull, setRepull] = useState(false);
  const run = useMutation({
    mutationFn: (): Promise<Report> =>
      unwrap(
        api.POST('/connector-instances/{id}/reconcile', {
          params: { path: { id: instanceId } },
          body: { since: since ? new Date(since).toISOString() : undefined, repull },
        }),
      ),
  });
  const r = run.data;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('ops.reconcile')}
      </Title>
      <Text size="sm" c="gray.7" mb="xs">
        {t('ops.reconcileHelp')}
      </Text>
      <Group align="flex-end" mb="sm">
        <TextInput
          type="date"
          label={t('ops.since')}
          value={since}
          onChange={(e) => setSince(e.currentTarget.value)}
          w={180}
        />
        <Checkbox
          label={t('ops.repull')}
          checked={repull}
          onChange={(e) => setRepull(e.currentTarget.checked)}
          mb={8}
        />
        <Button onClick={() => run.mutate()} loading={run.isPending}>
          {t('ops.runReconcile')}
        </Button>
      </Group>
      {run.error && <ErrorState error={run.error} />}
      {r && (
        <Stack data-testid="reconcile-report">
          {r.repulled > 0 && (
            <Alert color="green" role="status">
              {t('ops.repulled', { count: r.repulled })}
            </Alert>
          )}
          {r.streams.map((s) => (
            <Stack key={s.stream} gap={4}>
              <Group gap="xs">
                <Text fw={600}>{s.stream}</Text>
                <StatusBadge value={s.missing.length ? 'missing' : 'ok'} />
                <Text size="sm">
                  {t('ops.held', { held: f.number(s.held), atSource: f.number(s.atSource) })}
                </Text>
              </Group>
              {s.missing.length > 0 && (
                <>
                  <Text size="sm">{t('ops.missing', { count: s.missing.length })}</Text>
                  <Code block mah={160} style={{ overflow: 'auto' }} data-testid={`missing-${s.stream}`}>
                    {s.missing.join('\n')}
                  </Code>
                </>
              )}
              {s.days.length > 0 && (
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('ops.day')}</Table.Th>
                      <Table.Th>{t('ops.atSource')}</Table.Th>
                      <Table.Th>{t('ops.heldCol')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {s.days.map((d) => (
                      <Table.Tr key={d.day}>
                        <Table.Td>{f.date(d.day)}</Table.Td>
                        <Table.Td>{f.number(d.atSource)}</Table.Td>
                        <Table.Td>{f.number(d.held)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          ))}
          {r.received.length > 0 && (
            <Table data-testid="reconcile-received">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ops.day')}</Table.Th>
                  <Table.Th>{t('ops.payloads')}</Table.Th>
                  <Table.Th>{t('ops.translated')}</Table.Th>
                  <Table.Th>{t('ops.deadLettered')}</Table.Th>
                  <Table.Th>{t('ops.unaccounted')}</Table.Th>
                  <Table.Th>{t('connectors.records')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.received.map((d) => (
                  <Table.Tr key={d.day}>
                    <Table.Td>{f.date(d.day)}</Table.Td>
                    <Table.Td>{f.number(d.payloads)}</Table.Td>
                    <Table.Td>{f.number(d.translated)}</Table.Td>
                    <Table.Td>{f.number(d.deadLettered)}</Table.Td>
                    <Table.Td>{f.number(d.unaccounted)}</Table.Td>
                    <Table.Td>{f.number(d.records)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {!r.streams.length && !r.received.length && <EmptyState>{t('ops.nothingToCompare')}</EmptyState>}
        </Stack>
      )}
    </Card>
  );
}

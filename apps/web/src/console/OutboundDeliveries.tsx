import { Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EmptyState, ErrorState, Loading, OffsetPager, StatusBadge } from '../components/common';
import { useFormat } from '../format';
import { can, useMe } from '../session';

type State = Schemas['OutboundDeliveryDto']['state'];
const STATES: (State | 'all')[] = ['failed', 'conflict', 'pending', 'sent', 'resolved', 'all'];
const LIMIT = 20;

/**
 * What an instance is owed and sent (CRM events, EDI documents to partners), newest first, by
 * state: a failed one is sent again after a fix (one, or every failed one), a conflict is settled by
 * taking the CRM's value (sent, overwriting) or the system's (its record pulled again).
 */
export function OutboundDeliveries({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const me = useMe();
  const writable = can(me.data, 'connectors:write');
  const [state, setState] = useState<State | 'all'>('failed');
  const [offset, setOffset] = useState(0);
  const path = { id: instanceId };
  const page = useQuery({
    queryKey: ['deliveries', instanceId, state, offset],
    queryFn: () =>
      unwrap(
        api.GET('/connector-instances/{id}/deliveries', {
          params: { path, query: { state: state === 'all' ? undefined : state, limit: LIMIT, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['deliveries', instanceId] });
    void qc.invalidateQueries({ queryKey: ['instance', instanceId] });
  };
  const resend = useMutation({
    mutationFn: (messageId?: string) =>
      unwrap(
        api.POST('/connector-instances/{id}/deliveries/resend', {
          params: { path },
          body: messageId ? { messageId } : {},
        }),
      ),
    onSuccess: refresh,
  });
  const resolve = useMutation({
    mutationFn: (o: { messageId: string; take: 'crm' | 'system' }) =>
      unwrap(
        api.POST('/connector-instances/{id}/deliveries/{messageId}/resolve', {
          params: { path: { id: instanceId, messageId: o.messageId } },
          body: { take: o.take },
        }),
      ),
    onSuccess: refresh,
  });
  return (
    <Card withBorder data-testid="outbound-deliveries">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('connectors.deliveries')}
          </Title>
          {writable && state === 'failed' && !!page.data?.total && (
            <Button size="xs" onClick={() => resend.mutate(undefined)} loading={resend.isPending}>
              {t('outbound.resendAll', { count: page.data.total })}
            </Button>
          )}
        </Group>
        <SegmentedControl
          aria-label={t('outbound.state')}
          w="fit-content"
          data={STATES.map((s) => ({ value: s, label: t(`outbound.states.${s}`) }))}
          value={state}
          onChange={(v) => {
            setState(v as State | 'all');
            setOffset(0);
          }}
        />
        {resend.data && (
          <Text size="sm" role="status">
            {t('outbound.requeued', { count: resend.data.requeued })}
          </Text>
        )}
        {(resend.error || resolve.error) && <ErrorState error={resend.error ?? resolve.error} />}
        {page.isLoading ? (
          <Loading />
        ) : page.error || !page.data ? (
          <ErrorState error={page.error} onRetry={() => void page.refetch()} />
        ) : !page.data.items.length ? (
          <EmptyState>{t('outbound.empty')}</EmptyState>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbound.event')}</Table.Th>
                <Table.Th>{t('outbound.state')}</Table.Th>
                <Table.Th>{t('outbound.attempts')}</Table.Th>
                <Table.Th>{t('outbound.reason')}</Table.Th>
                <Table.Th>{t('outbound.when')}</Table.Th>
                {writable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((d) => (
                <Table.Tr key={d.messageId}>
                  <Table.Td>
                    <Text size="sm">{d.type}</Text>
                    <Text size="xs" c="gray.7" ff="monospace">
                      {d.messageId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge value={d.state} />
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-word' }}>
                      {d.lastError ?? d.resolution ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{f.dateTime(d.createdAt)}</Text>
                    {d.sentAt && (
                      <Text size="xs" c="gray.7">
                        {t('outbound.sentAt', { at: f.dateTime(d.sentAt) })}
                      </Text>
                    )}
                  </Table.Td>
                  {writable && (
                    <Table.Td>
                      {d.state === 'failed' && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => resend.mutate(d.messageId)}
                          loading={resend.isPending && resend.variables === d.messageId}
                        >
                          {t('outbound.resend')}
                        </Button>
                      )}
                      {d.state === 'conflict' && (
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => resolve.mutate({ messageId: d.messageId, take: 'crm' })}
                          >
                            {t('outbound.takeCrm')}
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => resolve.mutate({ messageId: d.messageId, take: 'system' })}
                          >
                            {t('outbound.takeSystem')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {page.data && (
          <OffsetPager total={page.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        )}
      </Stack>
    </Card>
  );
}

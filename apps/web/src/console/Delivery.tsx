import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorState, Loading, StatusBadge } from '../components/common';
import { TrackingTimeline } from '../components/TrackingTimeline';
import { useFormat } from '../format';

export function DeliveryPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['delivery', id],
    queryFn: () => unwrap(api.GET('/deliveries/{id}', { params: { path: { id } } })),
  });
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} />;
  const d = q.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('deliveries.title', { number: d.externalId })}
        </Title>
        <StatusBadge value={d.status} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm">{t('deliveries.order', { order: d.orderExternalId ?? '—' })}</Text>
            <Text size="sm">{t('deliveries.carrierIs', { carrier: d.carrier ?? '—' })}</Text>
            <Text size="sm">
              {t('deliveries.promised', { from: f.date(d.promisedFrom), to: f.date(d.promisedTo) })}
            </Text>
            <Text size="sm">{t('deliveries.deliveredOn', { at: f.dateTime(d.deliveredAt) })}</Text>
            <Text size="sm">
              {d.late === null || d.late === undefined
                ? ''
                : d.late
                  ? t('deliveries.late')
                  : t('deliveries.inTime')}
            </Text>
          </Stack>
        </Card>
        <Card withBorder>
          <TrackingTimeline events={d.timeline} empty={t('deliveries.noEvents')} />
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  List,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EmptyState, ErrorState, Loading, OffsetPager } from '../components/common';
import { useFormat } from '../format';
import { can, useMe } from '../session';

const CHANNELS = ['call', 'meeting', 'note', 'email'] as const;
const TIMELINE_PAGE = 20;

/** The customer's timeline, paged, with a form to log a call, meeting, note or e-mail on it. */
export function TimelinePanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const [offset, setOffset] = useState(0);
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('call');
  const [subject, setSubject] = useState('');
  const [summary, setSummary] = useState('');
  const [relatedRef, setRelatedRef] = useState('');
  const page = useQuery({
    queryKey: ['customer', customerId, 'timeline', offset],
    queryFn: () =>
      unwrap(
        api.GET('/customers/{id}/timeline', {
          params: { path: { id: customerId }, query: { limit: TIMELINE_PAGE, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const log = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/customers/{id}/interactions', {
          params: { path: { id: customerId } },
          body: {
            channel,
            subject: subject.trim(),
            ...(summary.trim() ? { summary: summary.trim() } : {}),
            ...(relatedRef.trim() ? { relatedRef: relatedRef.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setSubject('');
      setSummary('');
      setRelatedRef('');
      setOffset(0);
      void qc.invalidateQueries({ queryKey: ['customer', customerId] });
    },
  });
  return (
    <Stack>
      {can(me.data, 'interactions:write') && (
        <Card
          withBorder
          component="form"
          data-testid="log-interaction"
          onSubmit={(e) => {
            e.preventDefault();
            if (subject.trim()) log.mutate();
          }}
        >
          <Title order={2} size="h4" mb="xs">
            {t('timeline.logTitle')}
          </Title>
          <Group align="flex-end" wrap="wrap">
            <Select
              label={t('timeline.channel')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`timeline.channels.${c}`) }))}
              value={channel}
              onChange={(v) => v && setChannel(v as (typeof CHANNELS)[number])}
              allowDeselect={false}
              w={160}
            />
            <TextInput
              label={t('timeline.subject')}
              required
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
              maxLength={500}
              style={{ flex: 1, minWidth: 240 }}
            />
            <TextInput
              label={t('timeline.relatedRef')}
              value={relatedRef}
              onChange={(e) => setRelatedRef(e.currentTarget.value)}
              maxLength={128}
              w={180}
            />
          </Group>
          <Textarea
            mt="xs"
            label={t('timeline.summary')}
            value={summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
            maxLength={4000}
            autosize
            minRows={2}
          />
          <Group mt="xs">
            <Button type="submit" loading={log.isPending} disabled={!subject.trim()}>
              {t('timeline.log')}
            </Button>
          </Group>
          {log.error && <ErrorState error={log.error} />}
        </Card>
      )}
      {page.isLoading ? (
        <Loading />
      ) : page.error || !page.data ? (
        <ErrorState error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.items.length === 0 ? (
        <EmptyState>{t('timeline.empty')}</EmptyState>
      ) : (
        <>
          <Timeline bulletSize={14} lineWidth={2} data-testid="timeline">
            {page.data.items.map((e, i) => (
              <Timeline.Item
                key={`${e.source}-${e.ref}-${i}`}
                title={`${t(`timeline.channels.${e.channel}`, { defaultValue: e.channel })} · ${e.subject}`}
              >
                {e.summary && <Text size="sm">{e.summary}</Text>}
                <Text size="xs" c="gray.7">
                  {[f.dateTime(e.at), e.actor, e.relatedRef, e.source].filter(Boolean).join(' · ')}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          <OffsetPager total={page.data.total} limit={TIMELINE_PAGE} offset={offset} onChange={setOffset} />
        </>
      )}
    </Stack>
  );
}

/** Segment with its rule and numbers, the value class and service policy, and the churn warning if any. */
export function ValuePanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const segment = useQuery({
    queryKey: ['customer', customerId, 'segment'],
    queryFn: async () => {
      const res = await api.GET('/customers/{id}/segment', { params: { path: { id: customerId } } });
      // Not classified yet: an empty state, not an error.
      if (res.response.status === 404) return null;
      return unwrap(Promise.resolve(res));
    },
  });
  const churn = useQuery({
    queryKey: ['customer', customerId, 'churn'],
    queryFn: () => unwrap(api.GET('/churn-warnings', { params: { query: { customerId } } })),
  });
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder data-testid="value-segment">
        <Title order={2} size="h4" mb="xs">
          {t('value.segmentTitle')}
        </Title>
        {segment.isLoading ? (
          <Loading />
        ) : segment.error ? (
          <ErrorState error={segment.error} />
        ) : !segment.data ? (
          <EmptyState>{t('value.notClassified')}</EmptyState>
        ) : (
          <SegmentFacts s={segment.data} />
        )}
      </Card>
      <Card withBorder data-testid="value-churn">
        <Title order={2} size="h4" mb="xs">
          {t('value.churnTitle')}
        </Title>
        {churn.isLoading ? (
          <Loading />
        ) : churn.error || !churn.data ? (
          <ErrorState error={churn.error} />
        ) : churn.data.flagged.length === 0 ? (
          <Text size="sm">{t('value.noChurn', { month: churn.data.month })}</Text>
        ) : (
          <Stack gap="xs">
            <Badge color="red" variant="light" autoContrast>
              {t('value.churnFlagged', { month: churn.data.month })}
            </Badge>
            <List size="sm">
              {churn.data.flagged[0].signals.map((s) => (
                <List.Item key={s.signal}>{s.reason}</List.Item>
              ))}
            </List>
            <Text size="xs" c="gray.7">
              {t('value.monthly', { counts: churn.data.flagged[0].monthly.join(' · ') })}
            </Text>
          </Stack>
        )}
      </Card>
    </SimpleGrid>
  );
}

function SegmentFacts({ s }: { s: Schemas['CustomerSegmentDto'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const inputs = s.inputs as { cost12m?: number | null; revenue12m?: number; growth?: number | null };
  const rows: [string, string][] = [
    [
      t('value.abc'),
      `${s.abc} · ${f.share(s.share)} (${t('value.cumulative', { share: f.share(s.cumulativeShare) })})`,
    ],
    [t('value.lifecycle'), t(`lifecycle.${s.lifecycle}`, { defaultValue: s.lifecycle })],
    [
      t('value.valueClass'),
      s.valueClass ? t(`value.classes.${s.valueClass}`, { defaultValue: s.valueClass }) : '—',
    ],
    [t('value.revenue12m'), f.money(inputs.revenue12m ?? null)],
    [t('value.cost12m'), inputs.cost12m == null ? t('value.noCost') : f.money(inputs.cost12m)],
    [t('value.margin'), f.money(s.margin)],
    [t('value.growth'), inputs.growth == null ? '—' : f.share(inputs.growth)],
    [t('value.clv'), f.money(s.clv)],
  ];
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {s.vip && (
          <Badge color="yellow" variant="filled" autoContrast>
            VIP
          </Badge>
        )}
        <Text size="xs" c="gray.7">
          {t('value.classifiedAt', { at: f.dateTime(s.classifiedAt) })}
        </Text>
      </Group>
      <Table>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w="40%">
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {s.servicePolicy && <Text size="sm">{t('value.policy', { policy: s.servicePolicy })}</Text>}
      <Text size="xs" c="gray.7">
        {s.reason}
      </Text>
    </Stack>
  );
}

/** Every source record that makes up the customer, with its identifiers and times. */
export function IdentitiesPanel({ identities }: { identities: Schemas['SourceIdentityDto'][] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!identities.length) return <EmptyState>{t('identities.empty')}</EmptyState>;
  return (
    <Table data-testid="identities">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('identities.source')}</Table.Th>
          <Table.Th>{t('identities.externalId')}</Table.Th>
          <Table.Th>{t('identities.identifiers')}</Table.Th>
          <Table.Th>{t('identities.updated')}</Table.Th>
          <Table.Th>{t('identities.received')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {identities.map((i) => (
          <Table.Tr key={`${i.source}/${i.externalId}`}>
            <Table.Td>
              <Text size="sm">{i.source}</Text>
              <Text size="xs" c="gray.7">
                {i.system} · {i.context}
              </Text>
            </Table.Td>
            <Table.Td>{i.externalId}</Table.Td>
            <Table.Td>
              {Object.entries(i.identifiers ?? {}).map(([k, v]) => (
                <Code key={k} mr={4}>
                  {k}: {String(v)}
                </Code>
              ))}
            </Table.Td>
            <Table.Td>{f.dateTime(i.sourceUpdatedAt)}</Table.Td>
            <Table.Td>{f.dateTime(i.receivedAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

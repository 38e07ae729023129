import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryTable } from '../components/RecordTable';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components/common';
import { useFormat } from '../format';
// The KPI chart (recharts) loads with its tab.
import { IdentitiesPanel, TimelinePanel, ValuePanel } from './CustomerPanels';
import { SatisfactionPanel } from './SatisfactionPanel';

const KpiPanel = lazy(() => import('./KpiPanel').then((m) => ({ default: m.KpiPanel })));

function Metric({
  label,
  value,
  sub,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  testId?: string;
}) {
  return (
    <Card withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="gray.7" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="gray.7">
          {sub}
        </Text>
      )}
    </Card>
  );
}

export function Customer360Page() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const view = useQuery({
    queryKey: ['customer', id],
    queryFn: () => unwrap(api.GET('/customers/{id}', { params: { path: { id } } })),
  });
  if (view.isLoading) return <Loading />;
  if (view.error || !view.data) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  const v = view.data;
  const p = v.profile;
  const currency = v.invoices.currencies.length === 1 ? v.invoices.currencies[0] : null;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={1} size="h2" data-testid="customer-name">
            {p.name}
          </Title>
          <Text size="sm" c="gray.7">
            {[p.city, p.country].filter(Boolean).join(', ')} ·{' '}
            {v.identities.map((i) => `${i.source}/${i.externalId}`).join(', ')}
          </Text>
        </Stack>
        {v.segment && (
          <Group gap="xs" data-testid="segment">
            <Badge size="lg" variant="filled" color="indigo">
              {t('c360.abc', { abc: v.segment.abc })}
            </Badge>
            <Badge size="lg" variant="light" color="indigo" autoContrast>
              {t(`lifecycle.${v.segment.lifecycle}`, { defaultValue: v.segment.lifecycle })}
            </Badge>
          </Group>
        )}
      </Group>
      {v.segment?.reason && (
        <Text size="sm" c="gray.7">
          {t('c360.segmentReason', { reason: v.segment.reason })}
        </Text>
      )}
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Metric
          testId="metric-orders"
          label={t('c360.orders')}
          value={f.number(v.orders.count)}
          sub={f.money(v.orders.totalAmount, currency)}
        />
        <Metric
          testId="metric-on-time"
          label={t('c360.onTime')}
          value={f.share(v.deliveries.onTime.share)}
          sub={t('c360.onTimeSub', {
            onTime: v.deliveries.onTime.onTime,
            delivered: v.deliveries.onTime.delivered,
          })}
        />
        <Metric
          testId="metric-invoices"
          label={t('c360.openInvoices')}
          value={f.money(v.invoices.openAmount, currency)}
          sub={t('c360.overdueSub', {
            count: v.invoices.overdueCount,
            amount: f.money(v.invoices.overdueAmount, currency),
          })}
        />
        <Metric
          testId="metric-cases"
          label={t('c360.openCases')}
          value={f.number(v.cases.open)}
          sub={t('c360.escalatedSub', { count: v.cases.escalated })}
        />
        <Metric
          testId="metric-stock"
          label={t('c360.stock')}
          value={f.number(v.stock.skus)}
          sub={v.stock.asOf ? t('c360.asOf', { at: f.dateTime(v.stock.asOf) }) : undefined}
        />
      </SimpleGrid>
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">{t('c360.overview')}</Tabs.Tab>
          <Tabs.Tab value="orders">{t('c360.orders')}</Tabs.Tab>
          <Tabs.Tab value="deliveries">{t('c360.deliveries')}</Tabs.Tab>
          <Tabs.Tab value="invoices">{t('c360.invoices')}</Tabs.Tab>
          <Tabs.Tab value="stock">{t('c360.stock')}</Tabs.Tab>
          <Tabs.Tab value="kpis">{t('c360.kpis')}</Tabs.Tab>
          <Tabs.Tab value="satisfaction">{t('c360.satisfaction')}</Tabs.Tab>
          <Tabs.Tab value="timeline">{t('c360.timeline')}</Tabs.Tab>
          <Tabs.Tab value="value">{t('c360.valueTab')}</Tabs.Tab>
          <Tabs.Tab value="identities">{t('c360.identities')}</Tabs.Tab>
          <Tabs.Tab value="profile">{t('c360.profile')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('c360.cases')}
              </Title>
              {v.cases.recent.length === 0 ? (
                <EmptyState>{t('c360.noCases')}</EmptyState>
              ) : (
                <Table>
                  <Table.Tbody>
                    {v.cases.recent.map((k) => (
                      <Table.Tr key={k.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/console/cases/${k.id}`}>
                            {k.number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{k.subject}</Table.Td>
                        <Table.Td>
                          <StatusBadge value={k.status} />
                        </Table.Td>
                        <Table.Td>{t('c360.dueAt', { at: f.dateTime(k.resolutionDueAt) })}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('c360.deliveriesByStatus')}
              </Title>
              <Table>
                <Table.Tbody>
                  {v.deliveries.byStatus.map((s) => (
                    <Table.Tr key={s.status}>
                      <Table.Td>
                        <StatusBadge value={s.status} />
                      </Table.Td>
                      <Table.Td>{f.number(s.count)}</Table.Td>
                      <Table.Td>{t('c360.late', { count: s.late })}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('c360.roles')}
              </Title>
              <Group gap="xs">
                {v.roles.map((r) => (
                  <Badge key={`${r.role}-${r.subjectType}`} variant="outline" autoContrast>
                    {r.role} · {r.subjectType} · {r.count}
                  </Badge>
                ))}
              </Group>
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t('c360.freshness')}
              </Title>
              <Table>
                <Table.Tbody>
                  {v.freshness.map((s) => (
                    <Table.Tr key={s.source}>
                      <Table.Td>{s.source}</Table.Td>
                      <Table.Td>{f.dateTime(s.lastReceivedAt)}</Table.Td>
                      <Table.Td>{f.number(s.records)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="orders" pt="md">
          <CustomerOrders id={id} />
        </Tabs.Panel>
        <Tabs.Panel value="deliveries" pt="md">
          <CustomerDeliveries id={id} />
        </Tabs.Panel>
        <Tabs.Panel value="invoices" pt="md">
          <CustomerInvoices id={id} />
        </Tabs.Panel>
        <Tabs.Panel value="stock" pt="md">
          <CustomerStock id={id} />
        </Tabs.Panel>
        <Tabs.Panel value="kpis" pt="md">
          <Suspense fallback={<Loading />}>
            <KpiPanel customerId={id} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="satisfaction" pt="md">
          <SatisfactionPanel customerId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <TimelinePanel customerId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="value" pt="md">
          <ValuePanel customerId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="identities" pt="md">
          <IdentitiesPanel identities={v.identities} />
        </Tabs.Panel>
        <Tabs.Panel value="profile" pt="md">
          <Table data-testid="profile-fields">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('c360.field')}</Table.Th>
                <Table.Th>{t('c360.value')}</Table.Th>
                <Table.Th>{t('c360.source')}</Table.Th>
                <Table.Th>{t('c360.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(p.fields).map(([name, fp]) => (
                <Table.Tr key={name}>
                  <Table.Td>{name}</Table.Td>
                  <Table.Td>{fp.value ?? '—'}</Table.Td>
                  <Table.Td>{fp.source ? `${fp.source}/${fp.sourceId ?? ''}` : '—'}</Table.Td>
                  <Table.Td>{f.dateTime(fp.at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function CustomerOrders({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer', id, 'orders'],
    queryFn: () =>
      unwrap(api.GET('/customers/{id}/orders', { params: { path: { id }, query: { limit: 100 } } })),
  });
  return (
    <QueryTable<Schemas['OrderDto']>
      query={q}
      testId="orders"
      empty={t('c360.noOrders')}
      rowKey={(o) => o.id}
      columns={[
        { label: t('orders.number'), cell: (o) => o.externalId },
        { label: t('common.status'), cell: (o) => <StatusBadge value={o.status} /> },
        { label: t('orders.orderedAt'), cell: (o, f) => f.date(o.orderedAt) },
        { label: t('orders.shippedAt'), cell: (o, f) => f.date(o.shippedAt) },
        { label: t('orders.total'), cell: (o, f) => f.money(o.totalAmount, o.currency) },
      ]}
    />
  );
}

function CustomerDeliveries({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer', id, 'deliveries'],
    queryFn: () =>
      unwrap(api.GET('/customers/{id}/deliveries', { params: { path: { id }, query: { limit: 100 } } })),
  });
  return (
    <QueryTable<Schemas['DeliveryDto']>
      query={q}
      testId="deliveries"
      empty={t('c360.noDeliveries')}
      rowKey={(d) => d.id}
      columns={[
        {
          label: t('deliveries.number'),
          cell: (d) => (
            <Anchor component={Link} to={`/console/deliveries/${d.id}`}>
              {d.externalId}
            </Anchor>
          ),
        },
        { label: t('common.status'), cell: (d) => <StatusBadge value={d.status} /> },
        { label: t('deliveries.carrier'), cell: (d) => d.carrier ?? '—' },
        { label: t('deliveries.promisedTo'), cell: (d, f) => f.date(d.promisedTo) },
        { label: t('deliveries.deliveredAt'), cell: (d, f) => f.dateTime(d.deliveredAt) },
        {
          label: t('deliveries.onTime'),
          cell: (d) =>
            d.late === null || d.late === undefined
              ? '—'
              : d.late
                ? t('deliveries.late')
                : t('deliveries.inTime'),
        },
      ]}
    />
  );
}

function CustomerInvoices({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer', id, 'invoices'],
    queryFn: () =>
      unwrap(api.GET('/customers/{id}/invoices', { params: { path: { id }, query: { limit: 100 } } })),
  });
  return (
    <QueryTable<Schemas['InvoiceDto']>
      query={q}
      testId="invoices"
      empty={t('c360.noInvoices')}
      rowKey={(i) => i.id}
      columns={[
        { label: t('invoices.number'), cell: (i) => i.externalId },
        {
          label: t('common.status'),
          cell: (i) => (
            <Group gap={4}>
              <StatusBadge value={i.status} />
              {i.overdue && (
                <Badge color="red" variant="filled">
                  {t('invoices.overdue')}
                </Badge>
              )}
            </Group>
          ),
        },
        { label: t('invoices.issuedAt'), cell: (i, f) => f.date(i.issuedAt) },
        { label: t('invoices.dueAt'), cell: (i, f) => f.date(i.dueAt) },
        { label: t('invoices.total'), cell: (i, f) => f.money(i.totalAmount, i.currency) },
        { label: t('invoices.open'), cell: (i, f) => f.money(i.openAmount, i.currency) },
      ]}
    />
  );
}

function CustomerStock({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer', id, 'stock'],
    queryFn: () => unwrap(api.GET('/customers/{id}/stock', { params: { path: { id } } })),
  });
  return (
    <QueryTable<Schemas['StockLevelDto']>
      query={q}
      testId="stock"
      empty={t('c360.noStock')}
      rowKey={(s) => `${s.source}-${s.warehouse}-${s.sku}-${s.lot}-${s.status}`}
      columns={[
        { label: t('stock.sku'), cell: (s) => s.sku },
        { label: t('stock.warehouse'), cell: (s) => s.warehouse },
        { label: t('stock.lot'), cell: (s) => s.lot ?? '—' },
        { label: t('common.status'), cell: (s) => <StatusBadge value={s.status} /> },
        { label: t('stock.quantity'), cell: (s, f) => `${f.number(s.quantity, 3)} ${s.unit ?? ''}` },
        { label: t('stock.asOf'), cell: (s, f) => f.dateTime(s.asOf) },
      ]}
    />
  );
}

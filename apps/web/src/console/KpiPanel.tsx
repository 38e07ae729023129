import { LineChart } from '@mantine/charts';
import { Anchor, Badge, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { EmptyState, ErrorState, Loading } from '../components/common';
import { useFormat } from '../format';

const COLORS = ['blue.6', 'teal.6', 'orange.6', 'grape.6', 'red.6', 'cyan.6', 'lime.7', 'indigo.6', 'pink.6'];

/**
 * Each KPI against its target over time (a chart), and the values of the period a click picks,
 * each with its drill-down: exactly the records it was computed from.
 */
export function KpiPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [period, setPeriod] = useState<'month' | 'week'>('month');
  const [picked, setPicked] = useState<string | null>(null);
  const [drill, setDrill] = useState<{ kpi: string; start: string } | null>(null);
  const values = useQuery({
    queryKey: ['kpis', customerId, period],
    queryFn: () =>
      unwrap(api.GET('/customers/{id}/kpis', { params: { path: { id: customerId }, query: { period } } })),
  });
  const shares = useMemo(() => (values.data?.values ?? []).filter((v) => v.unit === 'share'), [values.data]);
  const kpis = useMemo(() => [...new Set(shares.map((v) => v.kpi))].sort(), [shares]);
  const data = useMemo(() => {
    const byStart = new Map<string, Record<string, number | string>>();
    for (const v of shares) {
      const row = byStart.get(v.periodStart) ?? { periodStart: v.periodStart };
      if (v.value !== null && v.value !== undefined) row[v.kpi] = Math.round(v.value * 1000) / 10;
      byStart.set(v.periodStart, row);
    }
    return [...byStart.values()].sort((a, b) => String(a.periodStart).localeCompare(String(b.periodStart)));
  }, [shares]);
  if (values.isLoading) return <Loading />;
  if (values.error || !values.data) return <ErrorState error={values.error} />;
  const periodStarts = data.map((d) => String(d.periodStart));
  const current = picked ?? periodStarts[periodStarts.length - 1] ?? null;
  const ofPeriod = (values.data.values ?? []).filter((v) => v.periodStart === current);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('kpis.title')}
        </Title>
        <SegmentedControl
          aria-label={t('kpis.period')}
          value={period}
          onChange={(v) => {
            setPeriod(v as 'month' | 'week');
            setPicked(null);
            setDrill(null);
          }}
          data={[
            { value: 'month', label: t('kpis.month') },
            { value: 'week', label: t('kpis.week') },
          ]}
        />
      </Group>
      {!data.length ? (
        <EmptyState>{t('kpis.empty')}</EmptyState>
      ) : (
        <Card withBorder data-testid="kpi-chart">
          <LineChart
            h={280}
            data={data}
            dataKey="periodStart"
            unit="%"
            yAxisProps={{ domain: [0, 100] }}
            connectNulls
            curveType="linear"
            withLegend
            series={kpis.map((k, i) => ({
              name: k,
              label: t(`kpi.${k}`, { defaultValue: k }),
              color: COLORS[i % COLORS.length],
            }))}
            lineChartProps={{
              onClick: (e: { activeLabel?: string | number }) => {
                if (e?.activeLabel !== undefined) {
                  setPicked(String(e.activeLabel));
                  setDrill(null);
                }
              },
            }}
          />
          <Text size="xs" c="gray.7">
            {t('kpis.clickHint')}
          </Text>
        </Card>
      )}
      {current && (
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            {t('kpis.valuesOf', { period: f.date(current) })}
          </Title>
          <Table data-testid="kpi-values">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('kpis.kpi')}</Table.Th>
                <Table.Th>{t('kpis.value')}</Table.Th>
                <Table.Th>{t('kpis.target')}</Table.Th>
                <Table.Th>{t('kpis.records')}</Table.Th>
                <Table.Th>{t('kpis.met')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ofPeriod.map((v) => (
                <Table.Tr key={v.kpi}>
                  <Table.Td>{t(`kpi.${v.kpi}`, { defaultValue: v.kpi })}</Table.Td>
                  <Table.Td>{v.unit === 'share' ? f.share(v.value) : `${f.number(v.value, 1)} h`}</Table.Td>
                  <Table.Td>
                    {v.target === null
                      ? '—'
                      : v.unit === 'share'
                        ? f.share(v.target)
                        : `${f.number(v.target, 1)} h`}
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      onClick={() => setDrill({ kpi: v.kpi, start: v.periodStart })}
                    >
                      {t('kpis.hitsOf', { hits: v.hits, n: v.n })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {v.met === null ? (
                      '—'
                    ) : (
                      <Badge color={v.met ? 'green' : 'red'} variant="light" autoContrast>
                        {v.met ? t('kpis.yes') : t('kpis.no')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {drill && <DrillDown customerId={customerId} period={period} {...drill} />}
    </Stack>
  );
}

function DrillDown({
  customerId,
  kpi,
  start,
  period,
}: {
  customerId: string;
  kpi: string;
  start: string;
  period: 'month' | 'week';
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['kpi-records', customerId, kpi, period, start],
    queryFn: () =>
      unwrap(
        api.GET('/customers/{id}/kpis/{kpi}/records', {
          params: { path: { id: customerId, kpi }, query: { period, start, limit: 200 } },
        }),
      ),
  });
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} />;
  return (
    <Card withBorder data-testid="kpi-drilldown">
      <Title order={3} size="h5">
        {t('kpis.drillTitle', { kpi: t(`kpi.${kpi}`, { defaultValue: kpi }), period: f.date(start) })}
      </Title>
      <Text size="sm" c="gray.7" mb="xs">
        {q.data.definition}
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('kpis.record')}</Table.Th>
            <Table.Th>{t('kpis.kind')}</Table.Th>
            <Table.Th>{t('kpis.at')}</Table.Th>
            <Table.Th>{t('kpis.hit')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.items.map((r) => (
            <Table.Tr key={`${r.id}-${r.part}`}>
              <Table.Td>{r.ref}</Table.Td>
              <Table.Td>{r.kind}</Table.Td>
              <Table.Td>{f.dateTime(r.at)}</Table.Td>
              <Table.Td>{r.hit ? t('kpis.yes') : t('kpis.no')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { AttachInput, CaseFiles, uploadForm } from '../components/CaseFiles';
import {
  CsvButton,
  CursorPager,
  EmptyState,
  ErrorState,
  Loading,
  StatusBadge,
  useCursorPages,
} from '../components/common';
import { RecordTable, type Column } from '../components/RecordTable';
import { TrackingTimeline } from '../components/TrackingTimeline';
import { useFormat } from '../format';

type ListPath =
  | '/partner/v1/orders'
  | '/partner/v1/shipments'
  | '/partner/v1/invoices'
  | '/partner/v1/stock'
  | '/partner/v1/cases';

/** One partner list: cursor pages, a status filter, CSV of what is shown; the same shape for every resource. */
function PartnerList<T extends { id: string }>(props: {
  path: ListPath;
  title: string;
  empty: string;
  statuses?: string[];
  columns: Column<T>[];
  testId: string;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const page = useQuery({
    queryKey: [props.path, status, cursor],
    queryFn: () =>
      unwrap(api.GET(props.path, { params: { query: { limit: 50, status: status ?? undefined, cursor } } })),
    placeholderData: keepPreviousData,
  });
  const items = (page.data?.items ?? []) as unknown as T[];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {props.title}
        </Title>
        <CsvButton
          rows={items}
          name={props.testId}
          columns={props.columns.map((c) => [c.label, c.csv ?? (() => '')] as [string, (r: T) => unknown])}
        />
      </Group>
      {props.statuses && (
        <Select
          label={t('common.status')}
          data={props.statuses}
          value={status}
          onChange={(v) => {
            setStatus(v);
            pages.reset();
          }}
          clearable
          w={200}
        />
      )}
      <Card withBorder p={0}>
        {page.isLoading ? (
          <Loading />
        ) : page.error ? (
          <ErrorState error={page.error} />
        ) : !items.length ? (
          <EmptyState>{props.empty}</EmptyState>
        ) : (
          <RecordTable rows={items} columns={props.columns} rowKey={(r) => r.id} testId={props.testId} />
        )}
      </Card>
      <CursorPager {...pages.pager} next={page.data?.nextCursor} />
    </Stack>
  );
}

export function PortalOrders() {
  const { t } = useTranslation();
  return (
    <PartnerList<Schemas['PartnerOrderDto']>
      path="/partner/v1/orders"
      testId="portal-orders"
      title={t('portal.orders')}
      empty={t('portal.noOrders')}
      columns={[
        { label: t('orders.number'), cell: (o) => o.externalId, csv: (o) => o.externalId },
        { label: t('common.status'), cell: (o) => <StatusBadge value={o.status} />, csv: (o) => o.status },
        { label: t('orders.orderedAt'), cell: (o, f) => f.date(o.orderedAt), csv: (o) => o.orderedAt },
        { label: t('orders.shippedAt'), cell: (o, f) => f.date(o.shippedAt), csv: (o) => o.shippedAt },
        { label: t('orders.lines'), cell: (o) => o.lines?.length ?? '—', csv: (o) => o.lines?.length },
        {
          label: t('orders.total'),
          cell: (o, f) => (o.totalAmount === undefined ? '—' : f.money(o.totalAmount, o.currency)),
          csv: (o) => o.totalAmount,
        },
      ]}
    />
  );
}

export function PortalShipments() {
  const { t } = useTranslation();
  return (
    <PartnerList<Schemas['PartnerShipmentDto']>
      path="/partner/v1/shipments"
      testId="portal-shipments"
      title={t('portal.shipments')}
      empty={t('portal.noShipments')}
      statuses={[
        'PLANNED',
        'PICKED_UP',
        'IN_TRANSIT',
        'OUT_FOR_DELIVERY',
        'DELIVERED',
        'EXCEPTION',
        'RETURNED',
        'CANCELLED',
      ]}
      columns={[
        {
          label: t('deliveries.number'),
          cell: (s) => (
            <Anchor component={Link} to={`/portal/shipments/${s.id}`}>
              {s.externalId}
            </Anchor>
          ),
          csv: (s) => s.externalId,
        },
        {
          label: t('deliveries.orderCol'),
          cell: (s) => s.orderExternalId ?? '—',
          csv: (s) => s.orderExternalId,
        },
        { label: t('common.status'), cell: (s) => <StatusBadge value={s.status} />, csv: (s) => s.status },
        { label: t('deliveries.eta'), cell: (s, f) => f.dateTime(s.eta), csv: (s) => s.eta },
        { label: t('deliveries.position'), cell: (s) => s.position ?? '—', csv: (s) => s.position },
        { label: t('deliveries.carrier'), cell: (s) => s.carrier ?? '—', csv: (s) => s.carrier },
      ]}
    />
  );
}

export function PortalInvoices() {
  const { t } = useTranslation();
  return (
    <PartnerList<Schemas['PartnerInvoiceDto']>
      path="/partner/v1/invoices"
      testId="portal-invoices"
      title={t('portal.invoices')}
      empty={t('portal.noInvoices')}
      statuses={['OPEN', 'PARTIALLY_PAID', 'PAID', 'CANCELLED']}
      columns={[
        { label: t('invoices.number'), cell: (i) => i.externalId, csv: (i) => i.externalId },
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
          csv: (i) => (i.overdue ? `${i.status} (overdue)` : i.status),
        },
        { label: t('invoices.issuedAt'), cell: (i, f) => f.date(i.issuedAt), csv: (i) => i.issuedAt },
        { label: t('invoices.dueAt'), cell: (i, f) => f.date(i.dueAt), csv: (i) => i.dueAt },
        {
          label: t('invoices.total'),
          cell: (i, f) => f.money(i.totalAmount, i.currency),
          csv: (i) => i.totalAmount,
        },
        {
          label: t('invoices.open'),
          cell: (i, f) => f.money(i.openAmount, i.currency),
          csv: (i) => i.openAmount,
        },
      ]}
    />
  );
}

export function PortalStock() {
  const { t } = useTranslation();
  return (
    <PartnerList<Schemas['PartnerStockDto']>
      path="/partner/v1/stock"
      testId="portal-stock"
      title={t('portal.stock')}
      empty={t('portal.noStock')}
      statuses={['available', 'allocated', 'damaged', 'on-hold']}
      columns={[
        { label: t('stock.sku'), cell: (s) => s.sku, csv: (s) => s.sku },
        { label: t('stock.warehouse'), cell: (s) => s.warehouse, csv: (s) => s.warehouse },
        { label: t('stock.lot'), cell: (s) => s.lot ?? '—', csv: (s) => s.lot },
        { label: t('common.status'), cell: (s) => <StatusBadge value={s.status} />, csv: (s) => s.status },
        {
          label: t('stock.quantity'),
          cell: (s, f) => `${f.number(s.quantity, 3)} ${s.unit ?? ''}`,
          csv: (s) => s.quantity,
        },
        { label: t('stock.asOf'), cell: (s, f) => f.dateTime(s.asOf), csv: (s) => s.asOf },
      ]}
    />
  );
}

export function PortalCases() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Group justify="flex-end">
        <Button component={Link} to="/portal/cases/new">
          {t('portal.openCase')}
        </Button>
      </Group>
      <PartnerList<Schemas['PartnerCaseDto']>
        path="/partner/v1/cases"
        testId="portal-cases"
        title={t('portal.cases')}
        empty={t('portal.noCases')}
        statuses={['new', 'open', 'waiting_customer', 'resolved', 'closed', 'rejected']}
        columns={[
          {
            label: t('cases.number'),
            cell: (c) => (
              <Anchor component={Link} to={`/portal/cases/${c.id}`}>
                {c.number}
              </Anchor>
            ),
            csv: (c) => c.number,
          },
          { label: t('cases.subject'), cell: (c) => c.subject, csv: (c) => c.subject },
          { label: t('common.type'), cell: (c) => c.type, csv: (c) => c.type },
          { label: t('common.status'), cell: (c) => <StatusBadge value={c.status} />, csv: (c) => c.status },
          {
            label: t('cases.firstResponseDue'),
            cell: (c, f) => f.dateTime(c.firstResponseDueAt),
            csv: (c) => c.firstResponseDueAt,
          },
          {
            label: t('cases.resolutionDue'),
            cell: (c, f) => f.dateTime(c.resolutionDueAt),
            csv: (c) => c.resolutionDueAt,
          },
        ]}
      />
    </Stack>
  );
}

export function PortalShipment() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['partner-shipment', id],
    queryFn: () => unwrap(api.GET('/partner/v1/shipments/{id}', { params: { path: { id } } })),
  });
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} />;
  const s = q.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('deliveries.title', { number: s.externalId })}
        </Title>
        <StatusBadge value={s.status} />
      </Group>
      <Card withBorder>
        <Text size="sm">{t('deliveries.order', { order: s.orderExternalId ?? '—' })}</Text>
        <Text size="sm">
          {t('deliveries.etaIs', { eta: f.dateTime(s.eta), position: s.position ?? '—' })}
        </Text>
      </Card>
      <Card withBorder>
        <TrackingTimeline events={s.timeline} empty={t('deliveries.noEvents')} />
      </Card>
      <Button component={Link} to={`/portal/cases/new?shipment=${s.id}`} variant="default" w="fit-content">
        {t('portal.complain')}
      </Button>
    </Stack>
  );
}

const CASE_TYPES = [
  'delay',
  'damage',
  'loss',
  'wrong_delivery',
  'invoice_dispute',
  'service_request',
  'return',
] as const;

export function PortalOpenCase() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const params = new URLSearchParams(window.location.search);
  const [shipmentId, setShipmentId] = useState<string | null>(params.get('shipment'));
  const [type, setType] = useState<(typeof CASE_TYPES)[number]>('damage');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const shipments = useQuery({
    queryKey: ['partner-shipments-pick'],
    queryFn: () => unwrap(api.GET('/partner/v1/shipments', { params: { query: { limit: 200 } } })),
  });
  const open = useMutation({
    mutationFn: async () => {
      const opened = await unwrap(
        api.POST('/partner/v1/cases', {
          body: { type, subject, description: description || undefined, shipmentId: shipmentId ?? undefined },
        }),
      );
      const id = (opened as { id: string }).id;
      // The file goes with the case's first message; a refused file leaves the case open, and its
      // page says why the file was not taken.
      const fileError = file
        ? await unwrap(
            api.POST('/partner/v1/cases/{id}/attachments', {
              params: { path: { id } },
              body: uploadForm(file, {}) as never,
            }),
          ).then(
            () => undefined,
            (e: Error) => e.message,
          )
        : undefined;
      return { id, fileError };
    },
    onSuccess: ({ id, fileError }) => {
      void qc.invalidateQueries({ queryKey: ['/partner/v1/cases'] });
      navigate(`/portal/cases/${id}`, { state: { fileError } });
    },
  });
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        {t('portal.openCase')}
      </Title>
      <Select
        label={t('portal.shipment')}
        data={(shipments.data?.items ?? []).map((s) => ({
          value: s.id,
          label: `${s.externalId ?? s.id} · ${s.status ?? ''}`,
        }))}
        value={shipmentId}
        onChange={setShipmentId}
        searchable
      />
      <Select
        label={t('common.type')}
        data={[...CASE_TYPES]}
        value={type}
        onChange={(v) => v && setType(v as (typeof CASE_TYPES)[number])}
        allowDeselect={false}
      />
      <TextInput
        label={t('cases.subject')}
        value={subject}
        onChange={(e) => setSubject(e.currentTarget.value)}
        required
      />
      <Textarea
        label={t('portal.whatHappened')}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        autosize
        minRows={3}
      />
      <AttachInput value={file} onChange={setFile} />
      {open.error && <ErrorState error={open.error} />}
      <Button
        onClick={() => open.mutate()}
        disabled={!subject || !shipmentId}
        loading={open.isPending}
        w="fit-content"
      >
        {t('portal.submitCase')}
      </Button>
    </Stack>
  );
}

/** One of its cases: the clocks as due times, the messages meant for it with their files, a reply with a file. */
export function PortalCase() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const fileError = (useLocation().state as { fileError?: string } | null)?.fileError;
  const q = useQuery({
    queryKey: ['partner-case', id],
    queryFn: () => unwrap(api.GET('/partner/v1/cases/{id}', { params: { path: { id } } })),
    refetchInterval: 30_000,
  });
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        file
          ? api.POST('/partner/v1/cases/{id}/attachments', {
              params: { path: { id } },
              body: uploadForm(file, { body }) as never,
            })
          : api.POST('/partner/v1/cases/{id}/messages', { params: { path: { id } }, body: { body } }),
      ),
    onSuccess: (data) => {
      qc.setQueryData(['partner-case', id], data);
      void qc.invalidateQueries({ queryKey: ['/partner/v1/cases'] });
      setBody('');
      setFile(null);
    },
  });
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} />;
  const c = q.data;
  const late = (due?: string | null, done?: string | null) =>
    !!due && new Date(done ?? Date.now()) > new Date(due);
  const clock = (
    due: string | null | undefined,
    done: string | null | undefined,
    dueKey: string,
    doneKey: string,
  ) => (
    <Group gap="xs">
      <Text size="sm">
        {done ? t(doneKey, { at: f.dateTime(done) }) : t(dueKey, { due: f.dateTime(due) })}
      </Text>
      {late(due, done) && (
        <Badge color="red" variant="light" autoContrast>
          {t('portal.late')}
        </Badge>
      )}
    </Group>
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('portal.caseTitle', { number: c.number })} · {c.subject}
        </Title>
        <StatusBadge value={c.status ?? ''} />
      </Group>
      {fileError && (
        <Alert color="red" title={t('portal.fileRefused')}>
          {fileError}
        </Alert>
      )}
      <Card withBorder>
        <Stack gap={4} data-testid="portal-case-clocks">
          <Text size="sm">
            {c.type} · {c.priority} ·{' '}
            {t('cases.about', { order: c.orderExternalId ?? '—', shipment: c.deliveryExternalId ?? '—' })}
          </Text>
          {clock(c.firstResponseDueAt, c.firstRespondedAt, 'portal.firstResponseBy', 'portal.answeredAt')}
          {clock(c.resolutionDueAt, c.resolvedAt, 'portal.resolutionBy', 'portal.resolvedAt')}
          {c.resolution && <Text size="sm">{c.resolution}</Text>}
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('cases.messages')}
        </Title>
        {c.messages.length === 0 ? (
          <EmptyState>{t('portal.noMessages')}</EmptyState>
        ) : (
          <Stack gap="xs" data-testid="portal-case-messages">
            {c.messages.map((m) => (
              <Card key={m.id} withBorder p="xs">
                <Text size="xs" c="gray.7">
                  {f.dateTime(m.at)} · {m.author ?? '—'}
                </Text>
                <Text size="sm">{m.body}</Text>
                <CaseFiles files={m.attachments} base={`/partner/v1/cases/${id}/attachments`} />
              </Card>
            ))}
          </Stack>
        )}
        {c.status !== 'closed' && (
          <Stack mt="sm" gap="xs">
            <Textarea
              label={t('portal.yourMessage')}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              autosize
              minRows={2}
            />
            <AttachInput value={file} onChange={setFile} />
            <Button
              onClick={() => send.mutate()}
              disabled={!body.trim() && !file}
              loading={send.isPending}
              w="fit-content"
            >
              {t('portal.reply')}
            </Button>
            {send.error && <ErrorState error={send.error} />}
          </Stack>
        )}
      </Card>
    </Stack>
  );
}

export function PortalScorecard() {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['partner-scorecard'],
    queryFn: () => unwrap(api.GET('/partner/v1/scorecard', { params: { query: { period: 'month' } } })),
  });
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} />;
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('portal.scorecard')}
      </Title>
      {!q.data.items.length ? (
        <EmptyState>{t('portal.noScores')}</EmptyState>
      ) : (
        <Card withBorder p={0}>
          <Table striped data-testid="portal-scorecard">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('kpis.period')}</Table.Th>
                <Table.Th>{t('portal.customer')}</Table.Th>
                <Table.Th>{t('kpis.kpi')}</Table.Th>
                <Table.Th>{t('kpis.value')}</Table.Th>
                <Table.Th>{t('kpis.target')}</Table.Th>
                <Table.Th>{t('kpis.met')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((s) => (
                <Table.Tr key={`${s.customerId}-${s.kpi}-${s.periodStart}`}>
                  <Table.Td>{f.date(s.periodStart)}</Table.Td>
                  <Table.Td>{s.customerName}</Table.Td>
                  <Table.Td>{t(`kpi.${s.kpi}`, { defaultValue: s.kpi })}</Table.Td>
                  <Table.Td>
                    {s.value != null && s.value <= 1 ? f.share(s.value) : f.number(s.value, 1)}
                  </Table.Td>
                  <Table.Td>
                    {s.target != null && s.target <= 1 ? f.share(s.target) : f.number(s.target, 1)}
                  </Table.Td>
                  <Table.Td>
                    {s.met === null ? (
                      '—'
                    ) : (
                      <Badge color={s.met ? 'green' : 'red'} variant="light" autoContrast>
                        {s.met ? t('kpis.yes') : t('kpis.no')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}

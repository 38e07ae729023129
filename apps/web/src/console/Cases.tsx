import {
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
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
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { AttachInput, CaseFiles, uploadForm } from '../components/CaseFiles';
import { EmptyState, ErrorState, Loading, OffsetPager, StatusBadge } from '../components/common';
import { SlaClock } from '../components/SlaClock';
import { useFormat } from '../format';
import { useMe } from '../session';

const STATUSES = ['new', 'open', 'waiting_customer', 'resolved', 'closed', 'rejected'] as const;
const TYPES = [
  'delay',
  'damage',
  'loss',
  'wrong_delivery',
  'invoice_dispute',
  'service_request',
  'return',
] as const;
const LIMIT = 25;

export function CaseQueuePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const type = params.get('type');
  const escalated = params.get('escalated') === 'true';
  const assignee = params.get('assignee');
  const myName = useMe().data?.name;
  const offset = Number(params.get('offset') ?? 0);
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('offset');
    setParams(next, { replace: true });
  };
  const page = useQuery({
    queryKey: ['cases', status, type, escalated, assignee, offset],
    queryFn: () =>
      unwrap(
        api.GET('/cases', {
          params: {
            query: {
              status: (status ?? undefined) as (typeof STATUSES)[number] | undefined,
              type: (type ?? undefined) as (typeof TYPES)[number] | undefined,
              assignee: assignee ?? undefined,
              escalated: escalated ? true : undefined,
              limit: LIMIT,
              offset,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('cases.title')}
      </Title>
      <Group align="flex-end">
        <Select
          label={t('common.status')}
          data={[...STATUSES]}
          value={status}
          onChange={(v) => set('status', v)}
          clearable
          w={180}
        />
        <Select
          label={t('common.type')}
          data={[...TYPES]}
          value={type}
          onChange={(v) => set('type', v)}
          clearable
          w={180}
        />
        <TextInput
          label={t('cases.assignee')}
          value={assignee ?? ''}
          onChange={(e) => set('assignee', e.currentTarget.value.trim() || null)}
          w={200}
        />
        {myName && (
          <Checkbox
            label={t('cases.mine')}
            checked={assignee === myName}
            onChange={(e) => set('assignee', e.currentTarget.checked ? myName : null)}
          />
        )}
        <Checkbox
          label={t('cases.escalatedOnly')}
          checked={escalated}
          onChange={(e) => set('escalated', e.currentTarget.checked ? 'true' : null)}
        />
      </Group>
      <Card withBorder p={0}>
        {page.isLoading ? (
          <Loading />
        ) : page.error || !page.data ? (
          <ErrorState error={page.error} />
        ) : !page.data.items.length ? (
          <EmptyState>{t('cases.empty')}</EmptyState>
        ) : (
          <Table striped highlightOnHover data-testid="case-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases.number')}</Table.Th>
                <Table.Th>{t('cases.subject')}</Table.Th>
                <Table.Th>{t('common.type')}</Table.Th>
                <Table.Th>{t('common.priority')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th>{t('cases.assignee')}</Table.Th>
                <Table.Th>{t('cases.origin')}</Table.Th>
                <Table.Th>{t('cases.resolutionDue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/console/cases/${k.id}`}>
                      {k.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{k.subject}</Table.Td>
                  <Table.Td>{k.type}</Table.Td>
                  <Table.Td>{k.priority}</Table.Td>
                  <Table.Td>
                    <StatusBadge value={k.status} />
                  </Table.Td>
                  <Table.Td>{k.assignee ?? '—'}</Table.Td>
                  <Table.Td>{k.origin}</Table.Td>
                  <Table.Td>{f.dateTime(k.resolutionDueAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {page.data && (
        <OffsetPager
          total={page.data.total}
          limit={page.data.limit}
          offset={page.data.offset}
          onChange={(o) => set('offset', String(o))}
        />
      )}
    </Stack>
  );
}

export function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const me = useMe();
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'customer' | 'internal'>('customer');
  const k = useQuery({
    queryKey: ['case', id],
    queryFn: () => unwrap(api.GET('/cases/{id}', { params: { path: { id } } })),
    refetchInterval: 30_000,
  });
  const transition = useMutation({
    mutationFn: (to: string) =>
      unwrap(api.POST('/cases/{id}/transition', { params: { path: { id } }, body: { to } as never })),
    onSuccess: (data) => qc.setQueryData(['case', id], data),
  });
  const [assignTo, setAssignTo] = useState<string | null>(null);
  const assign = useMutation({
    mutationFn: (assignee: string | null) =>
      unwrap(api.PATCH('/cases/{id}', { params: { path: { id } }, body: { assignee } })),
    onSuccess: (data) => {
      qc.setQueryData(['case', id], data);
      setAssignTo(null);
      void qc.invalidateQueries({ queryKey: ['cases'] });
    },
  });
  const [file, setFile] = useState<File | null>(null);
  const message = useMutation({
    mutationFn: () => {
      const author = me.data?.name ?? 'staff';
      return unwrap(
        file
          ? api.POST('/cases/{id}/attachments', {
              params: { path: { id } },
              body: uploadForm(file, { visibility, author, body }) as never,
            })
          : api.POST('/cases/{id}/messages', {
              params: { path: { id } },
              body: { body, visibility, author },
            }),
      );
    },
    onSuccess: (data) => {
      qc.setQueryData(['case', id], data);
      setBody('');
      setFile(null);
    },
  });
  if (k.isLoading) return <Loading />;
  if (k.error || !k.data) return <ErrorState error={k.error} />;
  const c = k.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {c.number} · {c.subject}
          </Title>
          <Text size="sm" c="gray.7">
            {c.type} · {c.priority} · {c.priorityReason}
          </Text>
        </Stack>
        <StatusBadge value={c.status} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack>
            <SlaClock label={t('cases.firstResponse')} clock={c.clocks.firstResponse} />
            <SlaClock label={t('cases.resolution')} clock={c.clocks.resolution} />
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs">
            <Text size="sm">{c.description ?? '—'}</Text>
            <Text size="sm" c="gray.7">
              {t('cases.about', { order: c.orderExternalId ?? '—', shipment: c.deliveryExternalId ?? '—' })}
            </Text>
            <Group gap="xs" align="flex-end" data-testid="case-assignee">
              <TextInput
                size="xs"
                label={t('cases.assignee')}
                value={assignTo ?? c.assignee ?? ''}
                onChange={(e) => setAssignTo(e.currentTarget.value)}
                w={200}
              />
              {assignTo !== null && assignTo.trim() !== (c.assignee ?? '') && (
                <Button
                  size="xs"
                  loading={assign.isPending}
                  onClick={() => assign.mutate(assignTo.trim() || null)}
                >
                  {t('cases.assign')}
                </Button>
              )}
              {me.data?.name && c.assignee !== me.data.name && (
                <Button
                  size="xs"
                  variant="default"
                  loading={assign.isPending}
                  onClick={() => assign.mutate(me.data?.name ?? null)}
                >
                  {t('cases.assignToMe')}
                </Button>
              )}
            </Group>
            {assign.error && <ErrorState error={assign.error} />}
            {c.customerId && (
              <Anchor component={Link} to={`/console/customers/${c.customerId}`} size="sm">
                {t('cases.toCustomer')}
              </Anchor>
            )}
            <Group gap="xs">
              {c.allowedTransitions.map((to) => (
                <Button
                  key={to}
                  size="xs"
                  variant="default"
                  loading={transition.isPending && transition.variables === to}
                  onClick={() => transition.mutate(to)}
                >
                  {t(`caseAction.${to}`, { defaultValue: to })}
                </Button>
              ))}
            </Group>
            {transition.error && <ErrorState error={transition.error} />}
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('cases.messages')}
        </Title>
        {c.messages.length === 0 ? (
          <EmptyState>{t('cases.noMessages')}</EmptyState>
        ) : (
          <Stack gap="xs">
            {c.messages.map((m) => (
              <Card key={m.id} withBorder p="xs" bg={m.visibility === 'internal' ? 'yellow.0' : undefined}>
                <Text size="xs" c="gray.7">
                  {f.dateTime(m.at)} · {m.author ?? '—'} · {m.direction} · {m.visibility}
                </Text>
                <Text size="sm">{m.body}</Text>
                <CaseFiles files={m.attachments} base={`/cases/${id}/attachments`} />
              </Card>
            ))}
          </Stack>
        )}
        <Stack mt="sm" gap="xs">
          <Textarea
            label={t('cases.newMessage')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <AttachInput value={file} onChange={setFile} />
          <Group>
            <Select
              aria-label={t('cases.visibility')}
              data={[
                { value: 'customer', label: t('cases.toCustomerVisible') },
                { value: 'internal', label: t('cases.internalNote') },
              ]}
              value={visibility}
              onChange={(v) => setVisibility((v as 'customer' | 'internal') ?? 'customer')}
              allowDeselect={false}
              w={220}
            />
            <Button
              onClick={() => message.mutate()}
              disabled={!body.trim() && !file}
              loading={message.isPending}
            >
              {t('cases.send')}
            </Button>
          </Group>
          {message.error && <ErrorState error={message.error} />}
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('cases.suggestions')}
        </Title>
        <Stack gap="xs">
          {c.suggestedResolutions.map((a, i) => (
            <div key={a.id ?? i}>
              <Text size="sm" fw={600}>
                {a.title}
              </Text>
              <Text size="sm">{a.body}</Text>
            </div>
          ))}
        </Stack>
      </Card>
    </Stack>
  );
}

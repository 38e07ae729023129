import { Badge, Button, Card, Code, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { CursorPager, EmptyState, ErrorState, Loading, useCursorPages } from '../components/common';
import { useFormat } from '../format';

type Entry = Schemas['AuditEntryDto'];

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** The fields an entry changed: each with its value before and after (absent: —). */
export function changedFields(
  e: Pick<Entry, 'before' | 'after'>,
): { field: string; before: unknown; after: unknown }[] {
  const before = e.before ?? {};
  const after = e.after ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .sort()
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

/** The filters, as the API names them (and the URL keeps them); from and to are local times. */
type FilterKey = 'actor' | 'action' | 'target' | 'from' | 'to';
const FILTERS: { key: FilterKey; hint?: string; type?: 'datetime-local' }[] = [
  { key: 'actor', hint: 'audit.actorHint' },
  { key: 'action', hint: 'audit.actionHint' },
  { key: 'target' },
  { key: 'from', type: 'datetime-local' },
  { key: 'to', type: 'datetime-local' },
];

/** A local date-time input value (yyyy-mm-ddThh:mm) as the ISO instant the API takes. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * The tenant's audit log, newest first: who changed what, when and from where, filtered by actor,
 * action (or its start), target and time; an entry opens on the fields it changed, before and after.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map(({ key }) => [key, params.get(key) ?? ''])) as Record<
    FilterKey,
    string
  >;
  const pages = useCursorPages();
  const [open, setOpen] = useState<Entry | null>(null);
  const cursor = pages.cursor;
  const page = useQuery({
    queryKey: ['audit', filters, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/audit', {
          params: {
            query: {
              actor: filters.actor || undefined,
              action: filters.action || undefined,
              target: filters.target || undefined,
              from: isoOf(filters.from),
              to: isoOf(filters.to),
              cursor,
              limit: 50,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const set = (k: FilterKey, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    pages.reset();
    setParams(next, { replace: true });
  };
  const changes = open ? changedFields(open) : [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('audit.title')}
      </Title>
      <Group align="flex-end">
        {FILTERS.map(({ key, hint, type }) => (
          <TextInput
            key={key}
            type={type}
            label={t(`audit.${key}`)}
            description={hint ? t(hint) : undefined}
            value={filters[key]}
            onChange={(e) => set(key, e.currentTarget.value)}
            w={key === 'actor' ? 240 : 200}
          />
        ))}
      </Group>
      <Card withBorder p={0}>
        {page.isLoading ? (
          <Loading />
        ) : page.error || !page.data ? (
          <ErrorState error={page.error} onRetry={() => void page.refetch()} />
        ) : !page.data.items.length ? (
          <EmptyState>{t('audit.empty')}</EmptyState>
        ) : (
          <Table striped highlightOnHover data-testid="audit-log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.target')}</Table.Th>
                <Table.Th>{t('audit.where')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{f.dateTime(e.at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.actorName}</Text>
                    <Text size="xs" c="dimmed">
                      {e.actorKind}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" tt="none" color={e.action.includes('failed') ? 'red' : 'blue'}>
                      {e.action}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.targetType ?? '—'}</Text>
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {e.targetId ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{e.ip ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setOpen(e)}>
                      {t('audit.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <CursorPager {...pages.pager} next={page.data?.nextCursor} />
      <Modal
        opened={!!open}
        onClose={() => setOpen(null)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('audit.detail')}
        size="xl"
      >
        {open && (
          <Stack data-testid="audit-detail">
            <Text size="sm">
              <b>{open.action}</b> · {open.actorName} ({open.actorKind}) · {f.dateTime(open.at)}
            </Text>
            <Text size="sm">
              <b>{t('audit.route')}:</b> {open.route ?? '—'} · <b>{t('audit.where')}:</b> {open.ip ?? '—'}{' '}
              {open.userAgent ? `· ${open.userAgent}` : ''}
            </Text>
            {changes.length ? (
              <>
                <Text size="sm">{t('audit.changed', { count: changes.length })}</Text>
                <Table withTableBorder data-testid="audit-changes">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('audit.field')}</Table.Th>
                      <Table.Th>{t('audit.before')}</Table.Th>
                      <Table.Th>{t('audit.after')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {changes.map((c) => (
                      <Table.Tr key={c.field}>
                        <Table.Td>{c.field}</Table.Td>
                        <Table.Td>
                          <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                            {show(c.before)}
                          </Code>
                        </Table.Td>
                        <Table.Td>
                          <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                            {show(c.after)}
                          </Code>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            ) : (
              <Text size="sm" c="dimmed">
                {t('audit.noChange')}
              </Text>
            )}
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

import { Anchor, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import {
  CursorPager,
  EmptyState,
  ErrorState,
  Loading,
  StatusBadge,
  useCursorPages,
} from '../components/common';
import { useFormat } from '../format';

const FILTERS = ['key', 'messageId', 'correlationId'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * The message ledger for a business key, a message or a correlation id: every step each message
 * took (received, processed, retried, dead-lettered, redriven, published), newest first. Asks for a
 * filter first: the whole ledger is the history of every message and reads best narrowed.
 */
export function LedgerPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const given = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<Filter, string>;
  const [draft, setDraft] = useState(given);
  const pages = useCursorPages();
  const any = FILTERS.some((k) => given[k]);
  const page = useQuery({
    queryKey: ['ledger', given, pages.cursor],
    enabled: any,
    queryFn: () =>
      unwrap(
        api.GET('/ledger', {
          params: {
            query: {
              key: given.key || undefined,
              messageId: given.messageId || undefined,
              correlationId: given.correlationId || undefined,
              before: pages.cursor,
              limit: 50,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const search = (next: Partial<Record<Filter, string>>) => {
    const values = { ...Object.fromEntries(FILTERS.map((k) => [k, ''])), ...next };
    setDraft(values as Record<Filter, string>);
    const q = new URLSearchParams();
    for (const k of FILTERS) if (values[k]?.trim()) q.set(k, values[k].trim());
    pages.reset();
    setParams(q, { replace: true });
  };
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('ledger.title')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          search(draft);
        }}
      >
        <Group align="flex-end">
          {FILTERS.map((k) => (
            <TextInput
              key={k}
              label={t(`ledger.${k}`)}
              value={draft[k]}
              onChange={(e) => setDraft({ ...draft, [k]: e.currentTarget.value })}
              w={k === 'key' ? 200 : 300}
            />
          ))}
          <Button type="submit">{t('ledger.show')}</Button>
        </Group>
      </form>
      <Card withBorder p={0}>
        {!any ? (
          <EmptyState>{t('ledger.ask')}</EmptyState>
        ) : page.isLoading ? (
          <Loading />
        ) : page.error || !page.data ? (
          <ErrorState error={page.error} />
        ) : !page.data.items.length ? (
          <EmptyState>{t('ledger.empty')}</EmptyState>
        ) : (
          <Table striped data-testid="ledger">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ledger.at')}</Table.Th>
                <Table.Th>{t('ledger.step')}</Table.Th>
                <Table.Th>{t('ledger.consumer')}</Table.Th>
                <Table.Th>{t('deadLetters.type')}</Table.Th>
                <Table.Th>{t('ledger.key')}</Table.Th>
                <Table.Th>{t('deadLetters.source')}</Table.Th>
                <Table.Th>{t('ledger.messageAndCause')}</Table.Th>
                <Table.Th>{t('deadLetters.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((e) => (
                <Table.Tr key={e.seq}>
                  <Table.Td>{f.dateTime(e.at)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <StatusBadge value={e.status} />
                      <Text size="xs" c="gray.7">
                        {e.direction} #{e.attempt}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>{e.consumer}</Table.Td>
                  <Table.Td>{e.type ?? '—'}</Table.Td>
                  <Table.Td>
                    {e.key ? (
                      <Anchor component="button" size="sm" onClick={() => search({ key: e.key ?? '' })}>
                        {e.key}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{e.source ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {e.messageId}
                    </Text>
                    {e.correlationId && (
                      <Anchor
                        component="button"
                        size="xs"
                        onClick={() => search({ correlationId: e.correlationId ?? '' })}
                      >
                        {t('ledger.sameInput')}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {e.errorCode ? (
                      <Text size="sm" lineClamp={2}>
                        {e.errorCode}: {e.errorMessage}
                        {e.errorField ? ` (${e.errorField})` : ''}
                      </Text>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <CursorPager {...pages.pager} next={page.data?.nextCursor} />
    </Stack>
  );
}

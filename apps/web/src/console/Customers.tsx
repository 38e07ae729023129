import { Anchor, Card, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { EmptyState, ErrorState, Loading, OffsetPager } from '../components/common';
import { useFormat } from '../format';

const LIMIT = 25;

export function CustomersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Number(params.get('offset') ?? 0);
  const [debounced] = useDebouncedValue(q, 250);
  const page = useQuery({
    queryKey: ['customers', debounced, offset],
    queryFn: () =>
      unwrap(
        api.GET('/customers', { params: { query: { q: debounced || undefined, limit: LIMIT, offset } } }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('customers.title')}
      </Title>
      <TextInput
        label={t('customers.search')}
        placeholder="ALFKI"
        value={q}
        onChange={(e) =>
          setParams(e.currentTarget.value ? { q: e.currentTarget.value } : {}, { replace: true })
        }
        data-autofocus
      />
      <Card withBorder p={0}>
        {page.isLoading ? (
          <Loading />
        ) : page.error ? (
          <ErrorState error={page.error} onRetry={() => void page.refetch()} />
        ) : !page.data?.items.length ? (
          <EmptyState>{t('customers.empty')}</EmptyState>
        ) : (
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customers.name')}</Table.Th>
                <Table.Th>{t('customers.city')}</Table.Th>
                <Table.Th>{t('customers.country')}</Table.Th>
                <Table.Th>{t('customers.sources')}</Table.Th>
                <Table.Th>{t('common.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/console/customers/${c.id}`}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.city ?? '—'}</Table.Td>
                  <Table.Td>{c.country ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.identities.map((i) => `${i.source}/${i.externalId}`).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>{f.date(c.updatedAt)}</Table.Td>
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
          onChange={(o) => setParams({ ...(q ? { q } : {}), offset: String(o) })}
        />
      )}
    </Stack>
  );
}

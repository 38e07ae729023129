import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components/common';
import { useFormat } from '../format';

function CustomerCard({ id, testId }: { id: string; testId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['customer', id],
    queryFn: () => unwrap(api.GET('/customers/{id}', { params: { path: { id } } })),
  });
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} />;
  const p = q.data.profile;
  return (
    <Card withBorder data-testid={testId}>
      <Anchor component={Link} to={`/console/customers/${p.id}`} fw={600}>
        {p.name}
      </Anchor>
      <Text size="sm">{[p.street, p.postalCode, p.city, p.country].filter(Boolean).join(', ') || '—'}</Text>
      <Text size="sm">{t('merges.ids', { vat: p.vatId ?? '—', email: p.email ?? '—' })}</Text>
      <Text size="xs" c="gray.7">
        {q.data.identities.map((i) => `${i.source}/${i.externalId}`).join(', ')}
      </Text>
      <Text size="xs" c="gray.7">
        {t('merges.orders', { count: q.data.orders.count })}
      </Text>
    </Card>
  );
}

/** Merge proposals side by side with their evidence (accept / reject), and the merge history with unmerge. */
export function MergesPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const proposals = useQuery({
    queryKey: ['merge-proposals'],
    queryFn: () =>
      unwrap(api.GET('/merge-proposals', { params: { query: { status: 'pending', limit: 20 } } })),
  });
  const decide = useMutation({
    mutationFn: async ({ id, accept }: { id: string; accept: boolean }) =>
      accept
        ? unwrap(api.POST('/merge-proposals/{id}/accept', { params: { path: { id } }, body: {} }))
        : unwrap(api.POST('/merge-proposals/{id}/reject', { params: { path: { id } }, body: {} })),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: ['merge-proposals'] });
      if (p.mergeId && p.customerA) void qc.invalidateQueries({ queryKey: ['merges'] });
    },
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('merges.title')}
      </Title>
      {proposals.isLoading ? (
        <Loading />
      ) : proposals.error || !proposals.data ? (
        <ErrorState error={proposals.error} />
      ) : !proposals.data.items.length ? (
        <EmptyState>{t('merges.empty')}</EmptyState>
      ) : (
        proposals.data.items.map((p) => (
          <Card key={p.id} withBorder data-testid="merge-proposal">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{t('merges.rule', { rule: p.rule })}</Text>
              <Text size="xs" c="gray.7">
                {f.dateTime(p.createdAt)}
              </Text>
            </Group>
            <SimpleGrid cols={2}>
              <CustomerCard id={p.customerA} testId="proposal-a" />
              <CustomerCard id={p.customerB} testId="proposal-b" />
            </SimpleGrid>
            <Code block mt="xs">
              {p.evidence}
            </Code>
            <Group mt="sm">
              <Button onClick={() => decide.mutate({ id: p.id, accept: true })} loading={decide.isPending}>
                {t('merges.accept')}
              </Button>
              <Button
                variant="default"
                onClick={() => decide.mutate({ id: p.id, accept: false })}
                loading={decide.isPending}
              >
                {t('merges.reject')}
              </Button>
            </Group>
          </Card>
        ))
      )}
      {decide.error && <ErrorState error={decide.error} />}
      {decide.data?.mergeId && <MergeHistory customerId={decide.data.customerA} />}
    </Stack>
  );
}

export function MergeHistory({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const merges = useQuery({
    queryKey: ['merges', customerId],
    queryFn: () => unwrap(api.GET('/customers/{id}/merges', { params: { path: { id: customerId } } })),
  });
  const unmerge = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/merges/{id}/unmerge', { params: { path: { id } }, body: {} })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['merges'] }),
  });
  if (merges.isLoading) return <Loading />;
  if (merges.error || !merges.data) return <ErrorState error={merges.error} />;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('merges.history')}
      </Title>
      {!merges.data.items.length ? (
        <EmptyState>{t('merges.noHistory')}</EmptyState>
      ) : (
        <Table data-testid="merge-history">
          <Table.Tbody>
            {merges.data.items.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{f.dateTime(m.mergedAt)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" autoContrast>
                    {m.kind}
                  </Badge>{' '}
                  {m.rule}
                </Table.Td>
                <Table.Td>{m.unmergedAt ? <StatusBadge value="unmerged" /> : null}</Table.Td>
                <Table.Td>
                  {!m.unmergedAt && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => unmerge.mutate(m.id)}
                      loading={unmerge.isPending}
                    >
                      {t('merges.unmerge')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {unmerge.error && <ErrorState error={unmerge.error} />}
    </Card>
  );
}

import { Button, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { EmptyState, ErrorState, Loading } from '../components/common';
import { useFormat } from '../format';

const tone = (score: number) => (score >= 75 ? 'green' : score >= 50 ? 'yellow' : 'red');

/**
 * The satisfaction index of the relationship (S = Σ parties W · Σ departments w · s), its score per
 * served party and department with their weights, and, for one department, the answers it was
 * computed from (source, kind, the answer on its scale and on 0–100, comment).
 */
export function SatisfactionPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<{ party: string; department: string } | null>(null);
  const index = useQuery({
    queryKey: ['satisfaction', customerId],
    queryFn: () => unwrap(api.GET('/customers/{id}/satisfaction', { params: { path: { id: customerId } } })),
  });
  const answers = useQuery({
    queryKey: ['satisfaction-answers', customerId, open],
    enabled: !!open,
    queryFn: () =>
      unwrap(
        api.GET('/customers/{id}/satisfaction/answers', {
          params: { path: { id: customerId }, query: { party: open?.party, department: open?.department } },
        }),
      ),
  });
  if (index.isLoading) return <Loading />;
  if (index.error || !index.data)
    return <ErrorState error={index.error} onRetry={() => void index.refetch()} />;
  const s = index.data;
  if (s.index === null || s.index === undefined) return <EmptyState>{t('satisfaction.none')}</EmptyState>;
  return (
    <Stack data-testid="satisfaction">
      <Group align="baseline">
        <Title order={2} size="h3" data-testid="satisfaction-index">
          {f.number(s.index, 1)}
        </Title>
        <Text size="sm" c="gray.7">
          {t('satisfaction.of100')} · {s.formula}
        </Text>
      </Group>
      {s.parties.map((p) => (
        <Card withBorder key={p.party}>
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h5">
              {p.party}
            </Title>
            <Group gap="xs">
              <Text size="sm">{t('satisfaction.weight', { weight: f.share(p.weight) })}</Text>
              <Text fw={700} size="sm" aria-label={t('satisfaction.score')}>
                {f.number(p.score)}
              </Text>
            </Group>
          </Group>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('satisfaction.department')}</Table.Th>
                <Table.Th>{t('satisfaction.weightCol')}</Table.Th>
                <Table.Th>{t('satisfaction.score')}</Table.Th>
                <Table.Th>{t('satisfaction.answers')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.departments.map((d) => (
                <Table.Tr key={d.department}>
                  <Table.Td>{d.department}</Table.Td>
                  <Table.Td>{f.share(d.weight)}</Table.Td>
                  <Table.Td w="40%">
                    <Group gap="xs" wrap="nowrap">
                      <Progress
                        value={d.score}
                        color={tone(d.score)}
                        w="100%"
                        aria-label={t('satisfaction.scoreOf', { department: d.department })}
                      />
                      <Text size="sm">{f.number(d.score)}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setOpen({ party: p.party, department: d.department })}
                    >
                      {t('satisfaction.show', { count: d.answers.length })}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
      {open && (
        <Card withBorder data-testid="satisfaction-answers">
          <Title order={3} size="h5" mb="xs">
            {t('satisfaction.answersOf', open)}
          </Title>
          {answers.isLoading ? (
            <Loading />
          ) : answers.error || !answers.data ? (
            <ErrorState error={answers.error} />
          ) : (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('satisfaction.answeredAt')}</Table.Th>
                  <Table.Th>{t('satisfaction.kind')}</Table.Th>
                  <Table.Th>{t('satisfaction.answer')}</Table.Th>
                  <Table.Th>{t('satisfaction.score')}</Table.Th>
                  <Table.Th>{t('satisfaction.comment')}</Table.Th>
                  <Table.Th>{t('satisfaction.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {answers.data.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{f.dateTime(a.answeredAt)}</Table.Td>
                    <Table.Td>{a.kind}</Table.Td>
                    <Table.Td>
                      {t('satisfaction.onScale', { value: a.value, min: a.scaleMin, max: a.scaleMax })}
                    </Table.Td>
                    <Table.Td>{f.number(a.score)}</Table.Td>
                    <Table.Td>{a.comment ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {a.source} · {a.externalId}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      )}
    </Stack>
  );
}

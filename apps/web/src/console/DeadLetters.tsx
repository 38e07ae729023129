import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  Card,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import {
  CursorPager,
  EmptyState,
  ErrorState,
  Loading,
  StatusBadge,
  useCursorPages,
} from '../components/common';
import { useFormat } from '../format';

type DeadLetter = Schemas['DeadLetterDto'];

function payloadText(d: DeadLetter): string {
  if (d.body) {
    try {
      return JSON.stringify(JSON.parse(d.body), null, 2);
    } catch {
      return d.body;
    }
  }
  return d.bodyBase64 ? atob(d.bodyBase64) : '';
}

/**
 * Dead letters with their reason and raw payload; redrive one, or every one of a type, key or
 * connector instance (or a combination); from one, its ledger.
 */
export function DeadLettersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? 'dead') as 'dead' | 'redriven';
  const type = params.get('type') ?? '';
  const key = params.get('key') ?? '';
  const source = params.get('source') ?? '';
  const instances = useQuery({
    queryKey: ['instances'],
    queryFn: () => unwrap(api.GET('/connector-instances')),
  });
  const pages = useCursorPages();
  const [open, setOpen] = useState<DeadLetter | null>(null);
  const after = pages.cursor;
  const page = useQuery({
    queryKey: ['dead-letters', status, type, key, source, after],
    queryFn: () =>
      unwrap(
        api.GET('/dead-letters', {
          params: {
            query: {
              status,
              type: type || undefined,
              key: key || undefined,
              source: source || undefined,
              after,
              limit: 25,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const redrive = useMutation({
    mutationFn: (body: Schemas['RedriveRequestDto']) => unwrap(api.POST('/dead-letters/redrive', { body })),
    onSuccess: () => {
      setOpen(null);
      void qc.invalidateQueries({ queryKey: ['dead-letters'] });
    },
  });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    pages.reset();
    setParams(next, { replace: true });
  };
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('deadLetters.title')}
      </Title>
      <Group align="flex-end">
        <Select
          label={t('common.status')}
          data={[
            { value: 'dead', label: t('deadLetters.dead') },
            { value: 'redriven', label: t('deadLetters.redriven') },
          ]}
          value={status}
          onChange={(v) => set('status', v ?? 'dead')}
          allowDeselect={false}
          w={160}
        />
        <TextInput
          label={t('deadLetters.type')}
          value={type}
          onChange={(e) => set('type', e.currentTarget.value)}
          w={260}
        />
        <TextInput
          label={t('deadLetters.key')}
          value={key}
          onChange={(e) => set('key', e.currentTarget.value)}
          w={200}
        />
        <Autocomplete
          label={t('deadLetters.source')}
          data={(instances.data ?? []).map((i) => i.id)}
          value={source}
          onChange={(v) => set('source', v)}
          w={240}
        />
        {status === 'dead' && (type || key || source) && (
          <Button
            variant="default"
            onClick={() =>
              redrive.mutate({
                type: type || undefined,
                key: key || undefined,
                source: source || undefined,
              })
            }
            loading={redrive.isPending}
          >
            {t('deadLetters.redriveAll')}
          </Button>
        )}
      </Group>
      {redrive.data && (
        <Alert color="green" role="status" data-testid="redrive-result">
          {t('deadLetters.redriveResult', { count: redrive.data.count })}
        </Alert>
      )}
      {redrive.error && <ErrorState error={redrive.error} />}
      <Card withBorder p={0}>
        {page.isLoading ? (
          <Loading />
        ) : page.error || !page.data ? (
          <ErrorState error={page.error} />
        ) : !page.data.items.length ? (
          <EmptyState>
            {status === 'dead' ? t('deadLetters.empty') : t('deadLetters.emptyRedriven')}
          </EmptyState>
        ) : (
          <Table striped highlightOnHover data-testid="dead-letters">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('deadLetters.at')}</Table.Th>
                <Table.Th>{t('deadLetters.type')}</Table.Th>
                <Table.Th>{t('deadLetters.key')}</Table.Th>
                <Table.Th>{t('deadLetters.source')}</Table.Th>
                <Table.Th>{t('deadLetters.reason')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{f.dateTime(d.deadLetteredAt)}</Table.Td>
                  <Table.Td>{d.type}</Table.Td>
                  <Table.Td>{d.key ?? '—'}</Table.Td>
                  <Table.Td>{d.source ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {d.errorCode}: {d.errorMessage}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge value={d.status} />
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setOpen(d)}>
                      {t('deadLetters.open')}
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
        title={t('deadLetters.detail')}
        size="xl"
      >
        {open && (
          <Stack data-testid="dead-letter-detail">
            <Text size="sm">
              <b>{t('deadLetters.reason')}:</b> {open.errorCode}: {open.errorMessage}
              {open.errorField ? ` (${open.errorField})` : ''}
            </Text>
            <Text size="sm">
              {t('deadLetters.meta', {
                consumer: open.consumer,
                attempts: open.attempts,
                redrives: open.redriveCount,
              })}
            </Text>
            <Code block mah={360} style={{ overflow: 'auto' }}>
              {payloadText(open)}
            </Code>
            <Group gap="md">
              <Anchor
                component={Link}
                to={`/console/ledger?messageId=${encodeURIComponent(open.messageId)}`}
                size="sm"
              >
                {t('deadLetters.ledgerOfMessage')}
              </Anchor>
              {open.key && (
                <Anchor component={Link} to={`/console/ledger?key=${encodeURIComponent(open.key)}`} size="sm">
                  {t('deadLetters.ledgerOfKey', { key: open.key })}
                </Anchor>
              )}
            </Group>
            {open.status === 'dead' && (
              <Button
                onClick={() => redrive.mutate({ messageId: open.messageId })}
                loading={redrive.isPending}
                w="fit-content"
              >
                {t('deadLetters.redrive')}
              </Button>
            )}
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

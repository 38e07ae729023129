/** Small pieces every page uses: loading and error states, empty states that say what to do, paging, CSV. */
import { Alert, Badge, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import Papa from 'papaparse';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function Loading() {
  const { t } = useTranslation();
  return (
    <Center p="xl" aria-busy="true">
      <Loader size="sm" aria-label={t('common.loading')} />
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? error.status : null;
  return (
    <Alert color="red" title={status === 403 ? t('common.forbidden') : t('common.error')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry} w="fit-content">
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** What to show when a list is empty: what it would hold and how it gets filled. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Alert color="gray" variant="light" data-testid="empty-state">
      <Text size="sm">{children}</Text>
    </Alert>
  );
}

/** Offset paging: previous / next with the position, for the API's {total, limit, offset} pages. */
export function OffsetPager(props: {
  total: number;
  limit: number;
  offset: number;
  onChange(o: number): void;
}) {
  const { t } = useTranslation();
  const { total, limit, offset } = props;
  if (total <= limit) return null;
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="gray.7">
        {t('common.range', { from: offset + 1, to: Math.min(offset + limit, total), total })}
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          disabled={offset === 0}
          onClick={() => props.onChange(Math.max(0, offset - limit))}
        >
          {t('common.previous')}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={offset + limit >= total}
          onClick={() => props.onChange(offset + limit)}
        >
          {t('common.next')}
        </Button>
      </Group>
    </Group>
  );
}

/** Cursor paging (the partner API and dead letters): a stack of cursors to go back. */
/**
 * The pages walked through with a cursor API: the cursor of the page shown (undefined: the first),
 * back to the first on `reset` (a filter changed), and the props CursorPager needs besides `next`.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors[cursors.length - 1] as string | undefined,
    reset: () => setCursors([]),
    pager: {
      hasPrevious: cursors.length > 0,
      onPrevious: () => setCursors((c) => c.slice(0, -1)),
      onNext: (c: string) => setCursors((cs) => [...cs, c]),
    },
  };
}

export function CursorPager(props: {
  hasPrevious: boolean;
  next: string | null | undefined;
  onPrevious(): void;
  onNext(c: string): void;
}) {
  const { t } = useTranslation();
  if (!props.hasPrevious && !props.next) return null;
  return (
    <Group justify="flex-end" gap="xs" mt="sm">
      <Button size="xs" variant="default" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        {t('common.previous')}
      </Button>
      <Button
        size="xs"
        variant="default"
        disabled={!props.next}
        onClick={() => props.next && props.onNext(props.next)}
      >
        {t('common.next')}
      </Button>
    </Group>
  );
}

const STATUS_COLORS: Record<string, string> = {
  DELIVERED: 'green',
  IN_TRANSIT: 'blue',
  PICKED_UP: 'blue',
  EXCEPTION: 'red',
  RETURNED: 'orange',
  CANCELLED: 'gray',
  ok: 'green',
  healthy: 'green',
  degraded: 'yellow',
  failing: 'red',
  unknown: 'gray',
  active: 'green',
  paused: 'gray',
  running: 'blue',
  met: 'green',
  breached: 'red',
  new: 'blue',
  open: 'blue',
  resolved: 'green',
  closed: 'gray',
  rejected: 'gray',
  waiting_customer: 'yellow',
  dead: 'red',
  redriven: 'green',
  pending: 'yellow',
  accepted: 'green',
  done: 'green',
  failed: 'red',
  cancelled: 'gray',
  missing: 'orange',
  received: 'blue',
  processed: 'green',
  retrying: 'yellow',
  'dead-lettered': 'red',
  revoked: 'gray',
  disabled: 'gray',
  published: 'green',
};

export function StatusBadge({ value }: { value: string | null | undefined }) {
  if (!value) return <Text size="sm">—</Text>;
  return (
    <Badge
      color={STATUS_COLORS[value] ?? 'gray'}
      variant="light"
      c="gray.9"
      autoContrast
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {value.replace(/_/g, ' ')}
    </Badge>
  );
}

/** Downloads rows as CSV (what the page shows, in its columns). */
export function CsvButton<T>({
  rows,
  columns,
  name,
}: {
  rows: T[];
  columns: [string, (r: T) => unknown][];
  name: string;
}) {
  const { t } = useTranslation();
  const download = () => {
    const csv = Papa.unparse({
      fields: columns.map(([h]) => h),
      data: rows.map((r) => columns.map(([, f]) => f(r) ?? '')),
    });
    // A BOM so that spreadsheet programs read UTF-8 (names in Chinese, umlauts) as UTF-8.
    const url = URL.createObjectURL(new Blob([`\ufeff${csv}`], { type: 'text/csv;charset=utf-8' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${name}.csv` });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Button size="xs" variant="default" onClick={download} disabled={!rows.length}>
      {t('common.exportCsv')}
    </Button>
  );
}

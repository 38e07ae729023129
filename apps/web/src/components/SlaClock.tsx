import { Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { useFormat } from '../format';
import { StatusBadge } from './common';

/** One SLA clock: business minutes used of those allowed, its due time and state (live: re-read every 30 s). */
export function SlaClock({ label, clock }: { label: string; clock: Schemas['CaseClockDto'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const used = clock.allowedMinutes ? Math.min(100, (clock.usedMinutes / clock.allowedMinutes) * 100) : 0;
  const color = clock.state === 'breached' ? 'red' : used >= 75 ? 'orange' : 'green';
  return (
    <Stack gap={4} data-testid={`sla-${label}`}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <StatusBadge value={clock.state} />
      </Group>
      <Progress value={used} color={color} aria-label={t('cases.clockUsed', { label })} />
      <Text size="xs" c="gray.7">
        {t('cases.clockText', {
          used: f.minutes(clock.usedMinutes),
          allowed: f.minutes(clock.allowedMinutes),
          due: f.dateTime(clock.dueAt),
        })}
      </Text>
    </Stack>
  );
}

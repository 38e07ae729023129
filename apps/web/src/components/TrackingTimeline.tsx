import { Text, Timeline } from '@mantine/core';
import { useFormat } from '../format';
import { EmptyState } from './common';

export interface TrackingEvent {
  status: string;
  occurredAt: string;
  location?: string | null;
  note?: string | null;
  exceptionType?: string | null;
}

/** A shipment's tracking events, oldest first (staff delivery page and partner shipment page). */
export function TrackingTimeline({ events, empty }: { events: TrackingEvent[]; empty: string }) {
  const f = useFormat();
  if (!events.length) return <EmptyState>{empty}</EmptyState>;
  return (
    <Timeline active={events.length - 1} bulletSize={16} lineWidth={2} data-testid="tracking-timeline">
      {events.map((e, i) => (
        <Timeline.Item
          key={`${e.occurredAt}-${i}`}
          title={e.status.replace(/_/g, ' ')}
          color={e.status === 'EXCEPTION' ? 'red' : 'blue'}
        >
          <Text size="xs" c="gray.7">
            {f.dateTime(e.occurredAt)}
            {e.location ? ` · ${e.location}` : ''}
          </Text>
          {(e.exceptionType || e.note) && (
            <Text size="sm">{[e.exceptionType, e.note].filter(Boolean).join(': ')}</Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

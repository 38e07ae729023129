/** A list of records as a table, with the loading, error and empty states every list has. */
import { Table } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useFormat, type Format } from '../format';
import { EmptyState, ErrorState, Loading } from './common';

export interface Column<T> {
  label: string;
  cell(r: T, f: Format): ReactNode;
  /** The value in a CSV export (default: none). */
  csv?(r: T): unknown;
}

export function RecordTable<T>(props: {
  rows: T[];
  columns: Column<T>[];
  rowKey(r: T): string;
  testId?: string;
}) {
  const f = useFormat();
  return (
    <Table striped data-testid={props.testId}>
      <Table.Thead>
        <Table.Tr>
          {props.columns.map((c) => (
            <Table.Th key={c.label}>{c.label}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.rows.map((r) => (
          <Table.Tr key={props.rowKey(r)} data-record-id={props.rowKey(r)}>
            {props.columns.map((c) => (
              <Table.Td key={c.label}>{c.cell(r, f)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A query's page of items as a RecordTable, or its loading, error or empty state. */
export function QueryTable<T>(props: {
  query: UseQueryResult<{ items: T[] }>;
  columns: Column<T>[];
  rowKey(r: T): string;
  empty: ReactNode;
  testId?: string;
}) {
  const q = props.query;
  if (q.isLoading) return <Loading />;
  if (q.error || !q.data) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data.items.length) return <EmptyState>{props.empty}</EmptyState>;
  return (
    <RecordTable rows={q.data.items} columns={props.columns} rowKey={props.rowKey} testId={props.testId} />
  );
}

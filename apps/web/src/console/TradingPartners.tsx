import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EmptyState, ErrorState, Loading, OffsetPager } from '../components/common';
import { useFormat } from '../format';
import { can, useMe } from '../session';

type Partner = Schemas['TradingPartnerDto'];
type Form = Schemas['AddTradingPartnerDto'];
type Standard = Form['standard'];

/** The documents each standard's partners may be sent (the API refuses the others, naming them). */
const DOCUMENTS: Record<Standard, string[]> = {
  x12: ['214', '856', '810', '846'],
  edifact: ['IFTSTA', 'DESADV', 'INVOIC', 'INVRPT'],
};
const ACKS: Record<Standard, string[]> = { x12: ['997', '999', 'none'], edifact: ['CONTRL', 'none'] };

const EMPTY: Form = {
  name: '',
  standard: 'x12',
  qualifier: 'ZZ',
  interchangeId: '',
  transactionSets: [],
  outboundDocuments: [],
};

/** The form's values as the API takes them: empty text is "not set". */
function bodyOf(f: Form): Form {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v !== '' && v !== null && v !== undefined) out[k] = v;
  return out as unknown as Form;
}

/**
 * The tenant's EDI trading partners: who may send interchanges under which id, as which customer,
 * with which acknowledgements, and which documents each is sent through which instance. Add one,
 * change its agreement, disable it (its files are then refused and kept as dead letters).
 */
export function TradingPartnersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const me = useMe();
  const writable = can(me.data, 'connectors:write');
  const [q, setQ] = useState('');
  const [standard, setStandard] = useState<string>('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<{ id?: string; form: Form } | null>(null);
  const page = useQuery({
    queryKey: ['trading-partners', q, standard, offset],
    queryFn: () =>
      unwrap(
        api.GET('/trading-partners', {
          params: {
            query: {
              q: q || undefined,
              standard: (standard || undefined) as Standard | undefined,
              limit: 25,
              offset,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const toggle = useMutation({
    mutationFn: (p: Partner) =>
      unwrap(
        api.PATCH('/trading-partners/{id}', {
          params: { path: { id: p.id } },
          body: { status: p.status === 'active' ? 'disabled' : 'active' },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['trading-partners'] }),
  });
  const edit = (p: Partner) =>
    setEditing({
      id: p.id,
      form: {
        name: p.name,
        standard: p.standard as Standard,
        qualifier: p.qualifier,
        interchangeId: p.interchangeId,
        customerExternalId: p.customerExternalId ?? undefined,
        customerSource: p.customerSource ?? undefined,
        acknowledgement: p.acknowledgement as Form['acknowledgement'],
        controlCounts: p.controlCounts as Form['controlCounts'],
        timeZone: p.timeZone,
        paymentTermsDays: p.paymentTermsDays,
        transactionSets: p.transactionSets,
        versions: p.versions,
        partnerId: p.partnerId ?? undefined,
        outboundInstanceId: p.outboundInstanceId ?? undefined,
        outboundDocuments: p.outboundDocuments as Form['outboundDocuments'],
      },
    });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('tradingPartners.title')}
        </Title>
        {writable && <Button onClick={() => setEditing({ form: EMPTY })}>{t('tradingPartners.add')}</Button>}
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('tradingPartners.search')}
          description={t('tradingPartners.searchHint')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setOffset(0);
          }}
          w={260}
        />
        <Select
          label={t('tradingPartners.standard')}
          data={[
            { value: '', label: t('common.all') },
            { value: 'x12', label: 'X12' },
            { value: 'edifact', label: 'EDIFACT' },
          ]}
          value={standard}
          onChange={(v) => {
            setStandard(v ?? '');
            setOffset(0);
          }}
          allowDeselect={false}
          w={160}
        />
      </Group>
      <Card withBorder p={0}>
        {page.isLoading ? (
          <Loading />
        ) : page.error || !page.data ? (
          <ErrorState error={page.error} onRetry={() => void page.refetch()} />
        ) : !page.data.items.length ? (
          <EmptyState>{t('tradingPartners.empty')}</EmptyState>
        ) : (
          <Table striped highlightOnHover data-testid="trading-partners">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tradingPartners.name')}</Table.Th>
                <Table.Th>{t('tradingPartners.interchangeId')}</Table.Th>
                <Table.Th>{t('tradingPartners.customer')}</Table.Th>
                <Table.Th>{t('tradingPartners.agreed')}</Table.Th>
                <Table.Th>{t('tradingPartners.documents')}</Table.Th>
                <Table.Th>{t('tradingPartners.last')}</Table.Th>
                <Table.Th>{t('tradingPartners.status')}</Table.Th>
                {writable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {p.standard.toUpperCase()} {p.qualifier ? `${p.qualifier}/` : ''}
                      {p.interchangeId}
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.customerExternalId ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {p.transactionSets.length ? p.transactionSets.join(', ') : t('tradingPartners.anySet')}
                    </Text>
                    <Text size="xs" c="gray.7">
                      {t('tradingPartners.ackShort', { ack: p.acknowledgement })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {p.outboundDocuments.length ? (
                      <>
                        <Group gap={4}>
                          {p.outboundDocuments.map((d) => (
                            <Badge key={d} variant="light" tt="none">
                              {d}
                            </Badge>
                          ))}
                        </Group>
                        <Text size="xs" c="gray.7">
                          {t('tradingPartners.via', { instance: p.outboundInstanceId })}
                        </Text>
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {t('tradingPartners.received')}:{' '}
                      {p.lastReceivedAt ? `${f.dateTime(p.lastReceivedAt)} (${p.lastControl})` : '—'}
                    </Text>
                    <Text size="xs">
                      {t('tradingPartners.sent')}: {p.lastDocumentAt ? f.dateTime(p.lastDocumentAt) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} c={p.status === 'active' ? undefined : 'gray.7'}>
                      {t(`tradingPartners.${p.status}`)}
                    </Text>
                  </Table.Td>
                  {writable && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => edit(p)}>
                          {t('tradingPartners.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          loading={toggle.isPending && toggle.variables?.id === p.id}
                          onClick={() => toggle.mutate(p)}
                        >
                          {p.status === 'active' ? t('tradingPartners.disable') : t('tradingPartners.enable')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {page.data && <OffsetPager {...page.data} onChange={setOffset} />}
      {toggle.error && <ErrorState error={toggle.error} />}
      <Modal
        opened={!!editing}
        onClose={() => setEditing(null)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={editing?.id ? t('tradingPartners.edit') : t('tradingPartners.add')}
        size="lg"
      >
        {editing && (
          <PartnerForm
            id={editing.id}
            initial={editing.form}
            onDone={() => {
              setEditing(null);
              void qc.invalidateQueries({ queryKey: ['trading-partners'] });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

/** Add or change a trading partner; the API's answer to a bad value (naming the field) is shown. */
function PartnerForm(props: { id?: string; initial: Form; onDone(): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [form, setForm] = useState<Form>(props.initial);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const instances = useQuery({
    queryKey: ['instances'],
    queryFn: () => unwrap(api.GET('/connector-instances')),
  });
  // Partner organisations are an administrator's to list; others type the id.
  const admin = can(me.data, 'users:admin');
  const partners = useQuery({
    queryKey: ['partners'],
    queryFn: () => unwrap(api.GET('/partners', { params: { query: { limit: 200 } } })),
    enabled: admin,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = bodyOf(form);
      if (!props.id) return unwrap(api.POST('/trading-partners', { body }));
      const { standard: _standard, tenant: _tenant, ...patch } = body;
      return unwrap(
        api.PATCH('/trading-partners/{id}', {
          params: { path: { id: props.id } },
          // Cleared settings are sent as null: the partner is then sent no documents.
          body: {
            ...patch,
            partnerId: form.partnerId || null,
            outboundInstanceId: form.outboundInstanceId || null,
          } as unknown as Schemas['UpdateTradingPartnerDto'],
        }),
      );
    },
    onSuccess: props.onDone,
  });
  const docs = DOCUMENTS[form.standard];
  return (
    <Stack data-testid="trading-partner-form">
      <TextInput
        label={t('tradingPartners.name')}
        value={form.name}
        onChange={(e) => set('name', e.currentTarget.value)}
        required
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="tp-standard">
          {t('tradingPartners.standard')}
        </Text>
        <SegmentedControl
          aria-labelledby="tp-standard"
          disabled={!!props.id}
          data={[
            { value: 'x12', label: 'X12' },
            { value: 'edifact', label: 'EDIFACT' },
          ]}
          value={form.standard}
          onChange={(v) =>
            setForm((f) => ({
              ...f,
              standard: v as Standard,
              qualifier: v === 'x12' ? 'ZZ' : '',
              acknowledgement: undefined,
              outboundDocuments: [],
            }))
          }
        />
      </Stack>
      <Group grow>
        <TextInput
          label={t('tradingPartners.qualifier')}
          description={form.standard === 'x12' ? 'ISA05' : 'UNB 0007'}
          value={form.qualifier}
          onChange={(e) => set('qualifier', e.currentTarget.value.toUpperCase())}
        />
        <TextInput
          label={t('tradingPartners.interchangeId')}
          description={form.standard === 'x12' ? 'ISA06' : 'UNB 0004'}
          value={form.interchangeId}
          onChange={(e) => set('interchangeId', e.currentTarget.value)}
          required
        />
      </Group>
      <Group grow>
        <TextInput
          label={t('tradingPartners.customer')}
          description={t('tradingPartners.customerHint')}
          value={form.customerExternalId ?? ''}
          onChange={(e) => set('customerExternalId', e.currentTarget.value)}
        />
        <TextInput
          label={t('tradingPartners.customerSource')}
          description="erp-sap-idoc:main"
          value={form.customerSource ?? ''}
          onChange={(e) => set('customerSource', e.currentTarget.value)}
        />
      </Group>
      <Group grow>
        <Select
          label={t('tradingPartners.acknowledgement')}
          data={ACKS[form.standard]}
          value={form.acknowledgement ?? ACKS[form.standard][0]}
          onChange={(v) => set('acknowledgement', (v ?? undefined) as Form['acknowledgement'])}
          allowDeselect={false}
        />
        <TextInput
          label={t('tradingPartners.timeZone')}
          value={form.timeZone ?? 'UTC'}
          onChange={(e) => set('timeZone', e.currentTarget.value)}
        />
        <NumberInput
          label={t('tradingPartners.terms')}
          min={0}
          max={365}
          value={form.paymentTermsDays ?? 30}
          onChange={(v) => set('paymentTermsDays', typeof v === 'number' ? v : undefined)}
        />
      </Group>
      <TagsInput
        label={t('tradingPartners.agreed')}
        description={t('tradingPartners.agreedHint')}
        value={form.transactionSets ?? []}
        onChange={(v) =>
          set(
            'transactionSets',
            v.map((s) => s.toUpperCase()),
          )
        }
      />
      <Card withBorder>
        <Stack gap="sm">
          <Text fw={500}>{t('tradingPartners.documentsTitle')}</Text>
          <Text size="sm" c="gray.7">
            {t('tradingPartners.documentsHint')}
          </Text>
          {admin ? (
            <Select
              label={t('tradingPartners.partner')}
              data={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
              value={form.partnerId ?? null}
              onChange={(v) => set('partnerId', v ?? undefined)}
              clearable
              searchable
            />
          ) : (
            <TextInput
              label={t('tradingPartners.partner')}
              value={form.partnerId ?? ''}
              onChange={(e) => set('partnerId', e.currentTarget.value)}
            />
          )}
          <Select
            label={t('tradingPartners.instance')}
            data={(instances.data ?? []).map((i) => i.id)}
            value={form.outboundInstanceId ?? null}
            onChange={(v) => set('outboundInstanceId', v ?? undefined)}
            clearable
            searchable
          />
          <MultiSelect
            label={t('tradingPartners.documents')}
            data={docs.map((d) => ({ value: d, label: `${d}: ${t(`tradingPartners.doc.${d}`)}` }))}
            value={form.outboundDocuments ?? []}
            onChange={(v) => set('outboundDocuments', v as Form['outboundDocuments'])}
          />
        </Stack>
      </Card>
      {save.error && <ErrorState error={save.error} />}
      <Button
        onClick={() => save.mutate()}
        loading={save.isPending}
        disabled={!form.name || !form.interchangeId}
        w="fit-content"
      >
        {t('tradingPartners.save')}
      </Button>
    </Stack>
  );
}

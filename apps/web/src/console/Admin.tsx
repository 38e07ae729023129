import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { ErrorState, OffsetPager, StatusBadge } from '../components/common';
import { QueryTable } from '../components/RecordTable';
import { useFormat } from '../format';
import { useMe } from '../session';

const STAFF_ROLES = ['admin', 'integrator', 'agent', 'analyst', 'viewer'] as const;
const PARTNER_KINDS = ['shipper', 'consignee', 'supplier', 'carrier', 'bill-to'] as const;

/** A secret the API shows once (a key, a reset token): copy it now, it is stored as a hash. */
function ShownOnce({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="green" title={label} role="status">
      <Text size="sm">{t('admin.shownOnce')}</Text>
      <Code block data-testid={testId}>
        {value}
      </Code>
    </Alert>
  );
}

/** The partner organisations as select options (for partner users and keys). */
function usePartnerOptions() {
  const partners = useQuery({
    queryKey: ['partners', 'options'],
    queryFn: () => unwrap(api.GET('/partners', { params: { query: { limit: 200 } } })),
  });
  return (partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }));
}

/** Administration (users:admin): staff and partner users, API keys, partner organisations. */
export function AdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'users';
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('admin.title')}
      </Title>
      <Tabs
        value={tab}
        onChange={(v) => setParams(v ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="users">{t('admin.users')}</Tabs.Tab>
          <Tabs.Tab value="api-keys">{t('admin.apiKeys')}</Tabs.Tab>
          <Tabs.Tab value="partners">{t('admin.partners')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <Users />
        </Tabs.Panel>
        <Tabs.Panel value="api-keys" pt="md">
          <ApiKeys />
        </Tabs.Panel>
        <Tabs.Panel value="partners" pt="md">
          <Partners />
        </Tabs.Panel>
      </Tabs>
      <Text size="sm" c="gray.7">
        {t('admin.ssoNote')}
      </Text>
    </Stack>
  );
}

function Users() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [offset, setOffset] = useState(0);
  const partners = usePartnerOptions();
  const [form, setForm] = useState({
    email: '',
    name: '',
    password: '',
    roles: ['agent'] as string[],
    partnerId: '',
  });
  const [reset, setReset] = useState<Schemas['PasswordResetTokenDto'] | null>(null);
  const users = useQuery({
    queryKey: ['users', offset],
    queryFn: () => unwrap(api.GET('/users', { params: { query: { limit: 50, offset } } })),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/users', {
          body: {
            email: form.email,
            name: form.name || undefined,
            password: form.password,
            ...(form.partnerId
              ? { partnerId: form.partnerId, roles: ['partner'] }
              : { roles: form.roles as (typeof STAFF_ROLES)[number][] }),
          },
        }),
      ),
    onSuccess: () => {
      setForm({ email: '', name: '', password: '', roles: ['agent'], partnerId: '' });
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: string; body: Schemas['UpdateUserDto'] }) =>
      unwrap(api.PATCH('/users/{id}', { params: { path: { id: v.id } }, body: v.body })),
    onSuccess: refresh,
  });
  const resetToken = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/users/{id}/password-reset', { params: { path: { id } }, body: { hours: 24 } })),
    onSuccess: setReset,
  });
  const partnerName = (id: string | null | undefined) => partners.find((p) => p.value === id)?.label ?? '—';
  return (
    <Stack>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('admin.addUser')}
        </Title>
        <Group align="flex-end" data-testid="users-form">
          <TextInput
            label={t('login.email')}
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            required
            w={240}
          />
          <TextInput
            label={t('admin.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            w={200}
          />
          <PasswordInput
            label={t('login.password')}
            description={t('admin.passwordHelp')}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            required
            w={220}
          />
          <Select
            label={t('admin.partnerOrg')}
            description={t('admin.partnerUserHelp')}
            data={partners}
            value={form.partnerId || null}
            onChange={(v) => setForm({ ...form, partnerId: v ?? '' })}
            clearable
            w={220}
          />
          {!form.partnerId && (
            <MultiSelect
              label={t('admin.roles')}
              data={[...STAFF_ROLES]}
              value={form.roles}
              onChange={(roles) => setForm({ ...form, roles })}
              w={260}
            />
          )}
          <Button
            onClick={() => create.mutate()}
            loading={create.isPending}
            disabled={!form.email || !form.password}
          >
            {t('admin.add')}
          </Button>
        </Group>
        {create.error && <ErrorState error={create.error} />}
      </Card>
      {reset && <ShownOnce label={t('admin.resetToken')} value={reset.token} testId="reset-token" />}
      {(update.error || resetToken.error) && <ErrorState error={update.error ?? resetToken.error} />}
      <Card withBorder p={0}>
        <QueryTable
          query={users}
          testId="users"
          rowKey={(u) => u.id}
          empty={t('admin.noUsers')}
          columns={[
            { label: t('login.email'), cell: (u) => u.email },
            { label: t('admin.name'), cell: (u) => u.name },
            {
              label: t('admin.roles'),
              cell: (u) =>
                u.partnerId ? (
                  u.roles.join(', ')
                ) : (
                  <MultiSelect
                    aria-label={t('admin.rolesOf', { email: u.email })}
                    data={[...STAFF_ROLES]}
                    value={u.roles}
                    onChange={(roles) =>
                      roles.length &&
                      update.mutate({ id: u.id, body: { roles: roles as (typeof STAFF_ROLES)[number][] } })
                    }
                    size="xs"
                    w={240}
                  />
                ),
            },
            { label: t('admin.partnerOrg'), cell: (u) => partnerName(u.partnerId) },
            {
              label: t('common.status'),
              cell: (u) => (
                <Group gap={4}>
                  <StatusBadge value={u.status} />
                  {u.lockedUntil && new Date(u.lockedUntil) > new Date() && (
                    <Badge color="orange" variant="light" c="gray.9" autoContrast>
                      {t('admin.locked', { until: f.dateTime(u.lockedUntil) })}
                    </Badge>
                  )}
                </Group>
              ),
            },
            { label: t('admin.lastLogin'), cell: (u) => f.dateTime(u.lastLoginAt) },
            {
              label: t('admin.actions'),
              cell: (u) => (
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() =>
                      update.mutate({
                        id: u.id,
                        body: { status: u.status === 'active' ? 'disabled' : 'active' },
                      })
                    }
                  >
                    {u.status === 'active' ? t('admin.disable') : t('admin.enable')}
                  </Button>
                  <Button size="xs" variant="default" onClick={() => resetToken.mutate(u.id)}>
                    {t('admin.resetPassword')}
                  </Button>
                </Group>
              ),
            },
          ]}
        />
      </Card>
      {users.data && (
        <OffsetPager
          total={users.data.total}
          limit={users.data.limit}
          offset={users.data.offset}
          onChange={setOffset}
        />
      )}
    </Stack>
  );
}

function ApiKeys() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const me = useMe();
  const partners = usePartnerOptions();
  const [form, setForm] = useState({
    name: '',
    scopes: [] as string[],
    expiresInDays: 90 as number | '',
    partnerId: '',
  });
  const [made, setMade] = useState<Schemas['CreatedApiKeyDto'] | null>(null);
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => unwrap(api.GET('/api-keys')),
    select: (items) => ({ items }),
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api-keys', {
          body: {
            name: form.name,
            scopes: form.scopes as Schemas['CreateApiKeyDto']['scopes'],
            expiresInDays: form.expiresInDays === '' ? undefined : form.expiresInDays,
            partnerId: form.partnerId || undefined,
          },
        }),
      ),
    onSuccess: (k) => {
      setMade(k);
      setForm({ name: '', scopes: [], expiresInDays: 90, partnerId: '' });
      void qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const partnerName = (id: string | null | undefined) => partners.find((p) => p.value === id)?.label ?? '—';
  return (
    <Stack>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('admin.addKey')}
        </Title>
        <Group align="flex-end">
          <TextInput
            label={t('admin.keyName')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            required
            w={220}
          />
          <MultiSelect
            label={t('admin.scopes')}
            description={t('admin.scopesHelp')}
            data={me.data?.permissions ?? []}
            value={form.scopes}
            onChange={(scopes) => setForm({ ...form, scopes })}
            searchable
            w={340}
          />
          <NumberInput
            label={t('admin.expiresInDays')}
            value={form.expiresInDays}
            onChange={(v) => setForm({ ...form, expiresInDays: typeof v === 'number' ? v : '' })}
            min={1}
            max={3650}
            w={160}
          />
          <Select
            label={t('admin.partnerOrg')}
            description={t('admin.partnerKeyHelp')}
            data={partners}
            value={form.partnerId || null}
            onChange={(v) => setForm({ ...form, partnerId: v ?? '' })}
            clearable
            w={220}
          />
          <Button
            onClick={() => create.mutate()}
            loading={create.isPending}
            disabled={!form.name || !form.scopes.length}
          >
            {t('admin.makeKey')}
          </Button>
        </Group>
        {create.error && <ErrorState error={create.error} />}
      </Card>
      {made && (
        <ShownOnce label={t('admin.keyMade', { name: made.name })} value={made.token} testId="new-key" />
      )}
      {revoke.error && <ErrorState error={revoke.error} />}
      <Card withBorder p={0}>
        <QueryTable
          query={keys}
          testId="api-keys"
          rowKey={(k) => k.id}
          empty={t('admin.noKeys')}
          columns={[
            { label: t('admin.keyName'), cell: (k) => k.name },
            { label: t('admin.prefix'), cell: (k) => <Code>{k.prefix}…</Code> },
            { label: t('admin.scopes'), cell: (k) => <Text size="xs">{k.scopes.join(' ')}</Text> },
            { label: t('admin.partnerOrg'), cell: (k) => partnerName(k.partnerId) },
            {
              label: t('admin.expires'),
              cell: (k) => (k.expiresAt ? f.date(k.expiresAt) : t('admin.never')),
            },
            { label: t('admin.lastUsed'), cell: (k) => f.dateTime(k.lastUsedAt) },
            {
              label: t('admin.actions'),
              cell: (k) =>
                k.revokedAt ? (
                  <StatusBadge value="revoked" />
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() =>
                      window.confirm(t('admin.revokeConfirm', { name: k.name })) && revoke.mutate(k.id)
                    }
                  >
                    {t('admin.revoke')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </Stack>
  );
}

function Partners() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const [form, setForm] = useState({
    name: '',
    kinds: [] as string[],
    contactEmail: '',
    customerIds: [] as string[],
  });
  const [picked, setPicked] = useState<Record<string, string>>({});
  const partners = useQuery({
    queryKey: ['partners', offset],
    queryFn: () => unwrap(api.GET('/partners', { params: { query: { limit: 50, offset } } })),
    placeholderData: keepPreviousData,
  });
  const found = useQuery({
    queryKey: ['customers', 'pick', search],
    queryFn: () =>
      unwrap(api.GET('/customers', { params: { query: { q: search || undefined, limit: 20 } } })),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['partners'] });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/partners', {
          body: {
            name: form.name,
            kinds: form.kinds as (typeof PARTNER_KINDS)[number][],
            contactEmail: form.contactEmail || undefined,
            customerIds: form.customerIds,
          },
        }),
      ),
    onSuccess: () => {
      setForm({ name: '', kinds: [], contactEmail: '', customerIds: [] });
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: string; status: 'active' | 'disabled' }) =>
      unwrap(api.PATCH('/partners/{id}', { params: { path: { id: v.id } }, body: { status: v.status } })),
    onSuccess: refresh,
  });
  const options = [
    ...(found.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
    ...form.customerIds
      .filter((id) => !(found.data?.items ?? []).some((c) => c.id === id))
      .map((id) => ({ value: id, label: picked[id] ?? id })),
  ];
  return (
    <Stack>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('admin.addPartner')}
        </Title>
        <Group align="flex-end" data-testid="partners-form">
          <TextInput
            label={t('admin.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            required
            w={220}
          />
          <MultiSelect
            label={t('admin.kinds')}
            data={[...PARTNER_KINDS]}
            value={form.kinds}
            onChange={(kinds) => setForm({ ...form, kinds })}
            w={240}
          />
          <TextInput
            label={t('admin.contact')}
            description={t('admin.contactHelp')}
            value={form.contactEmail}
            onChange={(e) => setForm({ ...form, contactEmail: e.currentTarget.value })}
            w={220}
          />
          <MultiSelect
            label={t('admin.itsCustomers')}
            description={t('admin.itsCustomersHelp')}
            data={options}
            value={form.customerIds}
            onChange={(customerIds) => {
              setPicked({ ...picked, ...Object.fromEntries(options.map((o) => [o.value, o.label])) });
              setForm({ ...form, customerIds });
            }}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options: o }) => o}
            w={300}
          />
          <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!form.name}>
            {t('admin.add')}
          </Button>
        </Group>
        {create.error && <ErrorState error={create.error} />}
      </Card>
      {update.error && <ErrorState error={update.error} />}
      <Card withBorder p={0}>
        <QueryTable
          query={partners}
          testId="partners"
          rowKey={(p) => p.id}
          empty={t('admin.noPartners')}
          columns={[
            { label: t('admin.name'), cell: (p) => p.name },
            { label: t('admin.kinds'), cell: (p) => p.kinds.join(', ') || '—' },
            { label: t('admin.contact'), cell: (p) => p.contactEmail ?? '—' },
            {
              label: t('admin.itsCustomers'),
              cell: (p) => t('admin.customerCount', { count: p.customerIds.length }),
            },
            { label: t('common.status'), cell: (p) => <StatusBadge value={p.status} /> },
            {
              label: t('admin.actions'),
              cell: (p) => (
                <Button
                  size="xs"
                  variant="default"
                  onClick={() =>
                    update.mutate({ id: p.id, status: p.status === 'active' ? 'disabled' : 'active' })
                  }
                >
                  {p.status === 'active' ? t('admin.disable') : t('admin.enable')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {partners.data && (
        <OffsetPager
          total={partners.data.total}
          limit={partners.data.limit}
          offset={partners.data.offset}
          onChange={setOffset}
        />
      )}
    </Stack>
  );
}

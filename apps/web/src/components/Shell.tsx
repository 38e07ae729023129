/** The frame of every signed-in page: header with the product, language and sign-out; navigation. */
import { AppShell, Burger, Group, NavLink, Select, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Outlet, NavLink as RouterLink } from 'react-router';
import { LANGUAGES } from '../i18n';
import { can, useMe, useSession } from '../session';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('common.language')}
      size="xs"
      w={130}
      data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
      value={i18n.resolvedLanguage ?? 'en'}
      onChange={(v) => v && void i18n.changeLanguage(v)}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export interface NavItem {
  to: string;
  label: string;
  /** Shown only to those who have it (the API would refuse the page anyway). */
  permission?: string;
}

export function Shell({ title, nav, brand }: { title: string; nav: NavItem[]; brand?: string }) {
  const { t } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const me = useMe();
  const session = useSession();
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('common.menu')}
            />
            <Title order={2} size="h4">
              {brand ?? 'Tradelane'}
            </Title>
            <Text size="sm" c="gray.7">
              {title}
            </Text>
          </Group>
          <Group gap="sm">
            <LanguagePicker />
            {me.data && (
              <Text size="sm" c="gray.7" data-testid="signed-in-as">
                {me.data.name}
              </Text>
            )}
            {me.data && me.data.kind !== 'local' && (
              <UnstyledButton onClick={() => void session.logOut()}>
                <Text size="sm" c="blue.8">
                  {t('common.signOut')}
                </Text>
              </UnstyledButton>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('common.navigation')}>
        {nav
          .filter((n) => !n.permission || can(me.data, n.permission))
          .map((n) => (
            <NavLink key={n.to} component={RouterLink} to={n.to} label={n.label} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main component="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

import '@mantine/charts/styles.css';
import { createTheme, CSSVariablesResolver, MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, useNavigate } from 'react-router';
import { api, ApiError, onUnauthorized, unwrap } from './api/client';
import { Loading } from './components/common';
import { Shell } from './components/Shell';
import { AdminPage } from './console/Admin';
import { AuditPage } from './console/Audit';
import { CasePage, CaseQueuePage } from './console/Cases';
import { Customer360Page } from './console/Customer360';
import { CustomersPage } from './console/Customers';
import { DeadLettersPage } from './console/DeadLetters';
import { DeliveryPage } from './console/Delivery';
import { LedgerPage } from './console/Ledger';
import { MergesPage } from './console/Merges';
import { TradingPartnersPage } from './console/TradingPartners';
import './i18n';
import { LoginPage } from './Login';
import {
  PortalCase,
  PortalCases,
  PortalInvoices,
  PortalOpenCase,
  PortalOrders,
  PortalScorecard,
  PortalShipment,
  PortalShipments,
  PortalStock,
} from './portal/Portal';
import { PortalWebhook, PortalWebhooks } from './portal/Webhooks';
import { isPartner, useMe } from './session';

// The connector form (rjsf) loads only when an IT user opens the connector pages.
const connectors = () => import('./console/Connectors');
const ConnectorsPage = lazy(() => connectors().then((m) => ({ default: m.ConnectorsPage })));
const AddInstancePage = lazy(() => connectors().then((m) => ({ default: m.AddInstancePage })));
const InstancePage = lazy(() => connectors().then((m) => ({ default: m.InstancePage })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
    },
  },
});

/** Signed in? Staff go to the console, partners to the portal; nobody to the log-in page. */
function Gate({ area, children }: { area: 'console' | 'portal' | 'any'; children?: React.ReactNode }) {
  const me = useMe();
  const navigate = useNavigate();
  useEffect(() => onUnauthorized(() => navigate('/login')), [navigate]);
  if (me.isLoading) return <Loading />;
  if (!me.data) return <Navigate to="/login" replace />;
  const partner = isPartner(me.data);
  if (area === 'any') return <Navigate to={partner ? '/portal/orders' : '/console/customers'} replace />;
  if (area === 'console' && partner) return <Navigate to="/portal/orders" replace />;
  if (area === 'portal' && !partner) return <Navigate to="/console/customers" replace />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function ConsoleFrame() {
  const { t } = useTranslation();
  return (
    <Gate area="console">
      <Shell
        title={t('common.console')}
        nav={[
          { to: '/console/customers', label: t('nav.customers') },
          { to: '/console/cases', label: t('nav.cases') },
          { to: '/console/merge-proposals', label: t('nav.mergeProposals') },
          { to: '/console/dead-letters', label: t('nav.deadLetters') },
          { to: '/console/ledger', label: t('nav.ledger') },
          { to: '/console/connectors', label: t('nav.connectors') },
          { to: '/console/trading-partners', label: t('nav.tradingPartners'), permission: 'connectors:read' },
          { to: '/console/audit', label: t('nav.audit'), permission: 'audit:read' },
          { to: '/console/admin', label: t('nav.admin'), permission: 'users:admin' },
        ]}
      />
    </Gate>
  );
}

/** The partner's own name heads its portal (GET /partner/v1/me). */
function PartnerShell() {
  const { t } = useTranslation();
  const me = useQuery({
    queryKey: ['partner-me'],
    queryFn: () => unwrap(api.GET('/partner/v1/me')),
    staleTime: 300_000,
  });
  return (
    <Shell
      brand={me.data?.partner.name}
      title={t('common.portal')}
      nav={[
        { to: '/portal/orders', label: t('nav.orders') },
        { to: '/portal/shipments', label: t('nav.shipments') },
        { to: '/portal/invoices', label: t('nav.invoices') },
        { to: '/portal/stock', label: t('nav.stock') },
        { to: '/portal/scorecard', label: t('nav.scorecard') },
        { to: '/portal/cases', label: t('nav.cases') },
        { to: '/portal/webhooks', label: t('nav.webhooks') },
      ]}
    />
  );
}

function PortalFrame() {
  return (
    <Gate area="portal">
      <PartnerShell />
    </Gate>
  );
}

const router = createBrowserRouter([
  { path: '/', element: <Gate area="any" /> },
  { path: '/login', element: <LoginPage /> },
  {
    path: '/console',
    element: <ConsoleFrame />,
    children: [
      { index: true, element: <Navigate to="customers" replace /> },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/:id', element: <Customer360Page /> },
      { path: 'deliveries/:id', element: <DeliveryPage /> },
      { path: 'cases', element: <CaseQueuePage /> },
      { path: 'cases/:id', element: <CasePage /> },
      { path: 'merge-proposals', element: <MergesPage /> },
      { path: 'dead-letters', element: <DeadLettersPage /> },
      { path: 'ledger', element: <LedgerPage /> },
      { path: 'connectors', element: <ConnectorsPage /> },
      { path: 'connectors/new', element: <AddInstancePage /> },
      { path: 'connectors/:id', element: <InstancePage /> },
      { path: 'trading-partners', element: <TradingPartnersPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'admin', element: <AdminPage /> },
    ],
  },
  {
    path: '/portal',
    element: <PortalFrame />,
    children: [
      { index: true, element: <Navigate to="orders" replace /> },
      { path: 'orders', element: <PortalOrders /> },
      { path: 'shipments', element: <PortalShipments /> },
      { path: 'shipments/:id', element: <PortalShipment /> },
      { path: 'invoices', element: <PortalInvoices /> },
      { path: 'stock', element: <PortalStock /> },
      { path: 'scorecard', element: <PortalScorecard /> },
      { path: 'cases', element: <PortalCases /> },
      { path: 'cases/new', element: <PortalOpenCase /> },
      { path: 'cases/:id', element: <PortalCase /> },
      { path: 'webhooks', element: <PortalWebhooks /> },
      { path: 'webhooks/:id', element: <PortalWebhook /> },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
]);

// Colours chosen for WCAG AA contrast on white (axe checks them in the browser tests).
const theme = createTheme({
  components: {
    NavLink: { defaultProps: { variant: 'filled' } },
    // Alert titles in the body text colour: the tinted default fails 4.5:1 on the light background.
    Alert: { styles: { title: { color: 'var(--mantine-color-text)' } } },
  },
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "Noto Sans SC", sans-serif',
});

// Secondary text (descriptions, help) one shade darker than Mantine's default: 4.5:1 on white.
const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariables}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

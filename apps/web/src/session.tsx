/** Who is signed in (GET /auth/me), log-in with the browser-session cookie, log-out. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from './api/client';

export type Me = Schemas['MeDto'];

const meQuery = {
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    const res = await api.GET('/auth/me');
    if (res.response.status === 401) return null;
    return unwrap(Promise.resolve(res));
  },
  staleTime: 60_000,
  retry: false,
} as const;

export function useMe() {
  return useQuery(meQuery);
}

export function useSession() {
  const qc = useQueryClient();
  return {
    async logIn(email: string, password: string, tenant?: string): Promise<void> {
      await unwrap(
        api.POST('/auth/login', { body: { email, password, cookie: true, ...(tenant ? { tenant } : {}) } }),
      );
      // Forget what the signed-out visitor saw (no `me`, 401s) and know who this is before any page draws.
      qc.removeQueries();
      await qc.fetchQuery(meQuery);
    },
    async logOut(): Promise<void> {
      await api.POST('/auth/logout');
      qc.clear();
      window.location.assign('/login');
    },
  };
}

export const isPartner = (me: Me | null | undefined) => !!me?.partnerId;
export const can = (me: Me | null | undefined, permission: string) => !!me?.permissions.includes(permission);

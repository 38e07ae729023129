/** Dates, numbers, shares and money in the reader's locale (Intl), through the current i18n language. */
import { useTranslation } from 'react-i18next';

export interface Format {
  date(v: string | Date | null | undefined): string;
  dateTime(v: string | Date | null | undefined): string;
  number(v: number | string | null | undefined, digits?: number): string;
  share(v: number | null | undefined): string;
  money(v: string | number | null | undefined, currency?: string | null): string;
  minutes(v: number | null | undefined): string;
  /** A file size: B, kB or MB in the locale's unit style. */
  bytes(v: number): string;
}

const dash = '—';

export function formatFor(locale: string): Format {
  const num = (v: number | string | null | undefined) =>
    v === null || v === undefined || v === '' ? null : Number(v);
  return {
    date: (v) => (v ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(v)) : dash),
    dateTime: (v) =>
      v
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(v))
        : dash,
    number: (v, digits = 0) => {
      const n = num(v);
      return n === null || Number.isNaN(n)
        ? dash
        : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
    },
    share: (v) =>
      v === null || v === undefined
        ? dash
        : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(v),
    money: (v, currency) => {
      const n = num(v);
      if (n === null || Number.isNaN(n)) return dash;
      return currency
        ? new Intl.NumberFormat(locale, { style: 'currency', currency }).format(n)
        : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
    },
    bytes: (v) => {
      const [unit, n] =
        v < 1024 ? ['byte', v] : v < 1024 * 1024 ? ['kilobyte', v / 1024] : ['megabyte', v / 1024 / 1024];
      return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(
        n as number,
      );
    },
    minutes: (v) => {
      if (v === null || v === undefined) return dash;
      const h = Math.floor(Math.abs(v) / 60);
      const m = Math.abs(v) % 60;
      return `${v < 0 ? '-' : ''}${h}:${String(m).padStart(2, '0')}`;
    },
  };
}

export function useFormat(): Format {
  const { i18n } = useTranslation();
  return formatFor(i18n.resolvedLanguage ?? 'en');
}

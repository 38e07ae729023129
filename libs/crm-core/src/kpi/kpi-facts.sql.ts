import { KPI_PERIODS, KPIS } from '../context/kpi-catalogue';

/**
 * Facts per subject kind: `$1` tenant, `$2` subject ids (uuid[]; NULL = every record of the
 * tenant). Each query returns (kpi, subject_kind, subject_id, part, subject_ref, customer_source,
 * customer_external_id, at, hit, value) and is the one definition of what a KPI counts: values
 * aggregate these rows and drill-downs list them.
 */
const CASE_ON = (alias: string, kind: 'delivery' | 'invoice', types: string) =>
  `EXISTS (SELECT 1 FROM crm_case k WHERE k.tenant = ${alias}.tenant AND k.${kind}_source = ${alias}.source
     AND k.${kind}_external_id = ${alias}.external_id AND k.status <> 'rejected' AND k.type ${types})`;

const FACT = `subject_ref, customer_source, customer_external_id`;

export const FACT_SQL: Record<string, string> = {
  delivery: `
    WITH d AS (
      SELECT d.id, d.tenant, d.status, d.promised_from, d.promised_to, d.delivered_at,
             coalesce(d.delivered_at, d.status_at) AS done_at, d.source || '/' || d.external_id AS subject_ref,
             coalesce(d.customer_source, o.customer_source) AS customer_source,
             coalesce(d.customer_external_id, o.customer_external_id) AS customer_external_id,
             coalesce(k.complained, false) AS complained, coalesce(k.wrong, false) AS wrong,
             coalesce(k.damage_case, false) OR (NOT coalesce(k.damage_rejected, false) AND EXISTS (
               SELECT 1 FROM crm_delivery_event e WHERE e.tenant = d.tenant AND e.source = d.source
                  AND e.delivery_external_id = d.external_id AND e.payload->>'exceptionType' = 'DAMAGE')) AS damaged
        FROM crm_delivery d
        LEFT JOIN crm_order o ON o.tenant = d.tenant AND o.source = d.order_source AND o.external_id = d.order_external_id
        LEFT JOIN LATERAL (
          SELECT bool_or(k.type <> 'service_request') FILTER (WHERE k.status <> 'rejected') AS complained,
                 bool_or(k.type = 'wrong_delivery') FILTER (WHERE k.status <> 'rejected') AS wrong,
                 bool_or(k.type = 'damage') FILTER (WHERE k.status <> 'rejected') AS damage_case,
                 bool_or(k.type = 'damage') FILTER (WHERE k.status = 'rejected') AS damage_rejected
            FROM crm_case k
           WHERE k.tenant = d.tenant AND k.delivery_source = d.source AND k.delivery_external_id = d.external_id) k ON true
       WHERE d.tenant = $1 AND ($2::uuid[] IS NULL OR d.id = ANY($2::uuid[])))
    SELECT 'on_time_delivery' AS kpi, 'delivery' AS subject_kind, id AS subject_id, 0 AS part, ${FACT}, delivered_at AS at,
           (delivered_at <= promised_to AND (promised_from IS NULL OR delivered_at >= promised_from)) AS hit, NULL::numeric AS value
      FROM d WHERE status = 'DELIVERED' AND delivered_at IS NOT NULL AND promised_to IS NOT NULL AND customer_external_id IS NOT NULL
    UNION ALL
    SELECT 'delivery_accuracy', 'delivery', id, 0, ${FACT}, done_at, NOT wrong, NULL
      FROM d WHERE status = 'DELIVERED' AND customer_external_id IS NOT NULL
    UNION ALL
    SELECT 'complaint_free', 'delivery', id, 0, ${FACT}, done_at, NOT complained, NULL
      FROM d WHERE status = 'DELIVERED' AND customer_external_id IS NOT NULL
    UNION ALL
    SELECT 'damage_rate', 'delivery', id, 0, ${FACT}, done_at, damaged, NULL
      FROM d WHERE status IN ('DELIVERED', 'EXCEPTION', 'RETURNED') AND customer_external_id IS NOT NULL`,

  order: `
    WITH o AS (
      SELECT o.* FROM crm_order o WHERE o.tenant = $1 AND ($2::uuid[] IS NULL OR o.id = ANY($2::uuid[])))
    SELECT 'order_cycle_time' AS kpi, 'order' AS subject_kind, o.id AS subject_id, 0 AS part,
           o.source || '/' || o.external_id AS subject_ref, o.customer_source, o.customer_external_id, x.last AS at,
           NULL::boolean AS hit, round((extract(epoch FROM x.last - o.ordered_at) / 3600)::numeric, 4) AS value
      FROM o JOIN LATERAL (
             SELECT max(d.delivered_at) AS last, bool_and(d.status IN ('DELIVERED', 'CANCELLED')) AS done,
                    bool_or(d.status = 'DELIVERED') AS any_delivered
               FROM crm_delivery d
              WHERE d.tenant = o.tenant AND d.order_source = o.source AND d.order_external_id = o.external_id) x
           ON x.done AND x.any_delivered AND x.last >= o.ordered_at
    UNION ALL
    SELECT 'fill_rate', 'order', o.id, (l.n - 1)::int, o.source || '/' || o.external_id || '#' || l.n,
           o.customer_source, o.customer_external_id, coalesce(o.shipped_at, o.ordered_at),
           (l.line->>'quantityShipped')::numeric >= (l.line->>'quantity')::numeric, NULL
      FROM o CROSS JOIN LATERAL jsonb_array_elements(o.lines) WITH ORDINALITY AS l(line, n)
     WHERE l.line ? 'quantityShipped'`,

  invoice: `
    SELECT 'invoice_accuracy' AS kpi, 'invoice' AS subject_kind, i.id AS subject_id, 0 AS part,
           i.source || '/' || i.external_id AS subject_ref, i.customer_source, i.customer_external_id, i.issued_at AS at,
           NOT (i.disputed OR ${CASE_ON('i', 'invoice', "= 'invoice_dispute'")}) AS hit, NULL::numeric AS value
      FROM crm_invoice i WHERE i.tenant = $1 AND ($2::uuid[] IS NULL OR i.id = ANY($2::uuid[]))`,

  'inventory-count': `
    SELECT 'inventory_accuracy' AS kpi, 'inventory-count' AS subject_kind, c.id AS subject_id, 0 AS part,
           c.source || '/' || c.external_id AS subject_ref, c.customer_source, c.customer_external_id, c.counted_at AS at,
           c.counted_quantity = c.system_quantity AS hit, NULL::numeric AS value
      FROM crm_inventory_count c WHERE c.tenant = $1 AND ($2::uuid[] IS NULL OR c.id = ANY($2::uuid[]))`,

  case: `
    SELECT 'on_time_report_handling' AS kpi, 'case' AS subject_kind, k.id AS subject_id, 0 AS part,
           'case/C-' || lpad(k.number::text, 6, '0') AS subject_ref, k.customer_source, k.customer_external_id,
           k.first_response_due_at AS at,
           coalesce(k.first_responded_at <= k.first_response_due_at, false) AS hit, NULL::numeric AS value
      FROM crm_case k
     WHERE k.tenant = $1 AND ($2::uuid[] IS NULL OR k.id = ANY($2::uuid[])) AND k.type = 'service_request'
       AND k.customer_external_id IS NOT NULL AND k.status <> 'rejected'
       AND (k.first_responded_at IS NOT NULL OR k.first_response_due_at <= now())`,
};

export const SUBJECT_KINDS = Object.keys(FACT_SQL);

/** KPI definitions as a SQL row set (kpi, unit, direction, default_target). */
export const KPI_DEFS_SQL = `(VALUES ${Object.values(KPIS)
  .map((k) => `('${k.name}', '${k.unit}', '${k.direction}', ${k.defaultTarget ?? 'NULL'}::numeric)`)
  .join(', ')}) AS def(kpi, unit, direction, default_target)`;

export const PERIODS_SQL = `(VALUES ${KPI_PERIODS.map((p) => `('${p}')`).join(', ')}) AS p(period)`;

/**
 * From a CTE `g(customer_id, kpi, period, period_start, n, hits, p50, p90)` of recomputed groups:
 * the value with its agreement target (customer ← tier ← default), upserted; returns the groups
 * that now miss a target they did not miss before (`$1` tenant, `$2` periods that alert, `$4` how many
 * days back a period may start and still alert: a rebuild does not announce last year's misses).
 */
export const UPSERT_VALUES_SQL = `
  v AS (
    SELECT g.*, def.unit, def.direction, x.met AS was_met,
           CASE WHEN def.unit = 'hours' THEN g.p50 ELSE round(g.hits::numeric / g.n, 6) END AS value,
           CASE WHEN coalesce(ca.settings->'targets', '{}') ? g.kpi THEN (ca.settings->'targets'->>g.kpi)::numeric
                WHEN coalesce(ta.settings->'targets', '{}') ? g.kpi THEN (ta.settings->'targets'->>g.kpi)::numeric
                ELSE def.default_target END AS target
      FROM g JOIN ${KPI_DEFS_SQL} ON def.kpi = g.kpi
      LEFT JOIN crm_service_agreement ca ON ca.tenant = $1 AND ca.customer_id = g.customer_id
      LEFT JOIN crm_service_agreement ta ON ta.tenant = $1 AND ta.customer_id IS NULL AND ta.tier = coalesce(ca.tier, 'standard')
      LEFT JOIN crm_kpi_value x ON x.customer_id = g.customer_id AND x.kpi = g.kpi AND x.period = g.period
       AND x.period_start = g.period_start),
  m AS (
    SELECT v.*, CASE WHEN v.target IS NULL THEN NULL
                     WHEN v.direction = 'at-least' THEN v.value >= v.target
                     ELSE (CASE WHEN v.unit = 'hours' THEN coalesce(v.p90, v.value) ELSE v.value END) <= v.target END AS met
      FROM v),
  up AS (
    INSERT INTO crm_kpi_value (customer_id, kpi, period, period_start, tenant, n, hits, value, p90, target, met, computed_at)
    SELECT customer_id, kpi, period, period_start, $1, n, hits, value, p90, target, met, now() FROM m
    ON CONFLICT (customer_id, kpi, period, period_start) DO UPDATE SET n = EXCLUDED.n, hits = EXCLUDED.hits,
      value = EXCLUDED.value, p90 = EXCLUDED.p90, target = EXCLUDED.target, met = EXCLUDED.met, computed_at = now()
    RETURNING 1)
  SELECT m.customer_id, m.kpi, m.period, to_char(m.period_start, 'YYYY-MM-DD') AS period_start, m.value::float AS value,
         m.target::float AS target, m.direction, m.n
    FROM m WHERE m.met = false AND m.was_met IS DISTINCT FROM false AND m.period = ANY($2::text[])
     AND m.period_start >= (now() - make_interval(days => $4::int))::date`;

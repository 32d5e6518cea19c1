import type pg from "pg";

/** Cases `from`..`to`, verified, each with 3 items and the two audit events of a submitted then verified case. */
export async function fill(client: pg.Client, from: number, to: number): Promise<void> {
  await client.query(
    `insert into cases (ref, draft_key, role, status, incident_date, incident_date_precision, latitude, longitude,
        address, region, perpetrator_units, perpetrator_count, narrative, contact_allowed, consent_version, locale,
        created_at, submitted_at, updated_at)
     select 'SV-' || lpad(to_hex(i), 8, '0'), 'bench-' || i,
        (array['victim', 'witness', 'trafficking'])[1 + i % 3], 'verified',
        date '2022-02-24' + (i % 900), 'day',
        case when i % 5 = 0 then null else 46.5 + (i % 500) / 100.0 end,
        case when i % 5 = 0 then null else 30.0 + (i % 700) / 100.0 end,
        'Херсон, вул. Перекопська, ' || (i % 200) || ', кв. "' || (i % 90) || '"',
        (array['khersonska', 'kyivska', 'kharkivska', 'zaporizka'])[1 + i % 4],
        case when i % 2 = 0 then 'Z на бортах, ' || md5(i::text) end, 1 + i % 7,
        'Вночі прийшли військові, винесли техніку й меблі; сусіди бачили вантажівку.' || chr(10) || repeat(md5(i::text), 4),
        i % 3 <> 0, '1', 'uk',
        timestamptz '2025-01-01 00:00+00' + i * interval '3 minutes',
        timestamptz '2025-01-01 00:00+00' + i * interval '3 minutes',
        timestamptz '2025-01-01 00:00+00' + i * interval '3 minutes' + interval '2 days'
     from generate_series($1::int, $2::int) as i`,
    [from, to],
  );
  await client.query(
    `insert into case_items (case_id, position, category, description, quantity, value_amount, value_currency,
        identifier, identifier_kind)
     select c.id, p, (array['electronics', 'appliances', 'jewellery', 'furniture', 'vehicle'])[1 + (n + p) % 5],
        (array['Ноутбук', 'Пральна машина', 'Обручка', 'Диван', 'Автомобіль'])[1 + (n + p) % 5] || ', ' || left(md5((n * 3 + p)::text), 12),
        1 + p % 2, case when p = 1 then 1000 + n % 50000 end, case when p = 1 then 'UAH' end,
        case when p = 2 then upper(left(md5(n::text), 15)) end, case when p = 2 then 'serial' end
     from (select id, substr(draft_key, 7)::int as n from cases where draft_key like 'bench-%') c
     cross join generate_series(1, 3) as p
     where c.n between $1 and $2`,
    [from, to],
  );
  await client.query(
    `insert into case_events (case_id, actor_kind, actor_id, kind, from_status, to_status, created_at)
     select c.id, e.actor_kind, e.actor_id, e.kind, e.from_status, e.to_status, c.submitted_at + e.after
     from (select id, submitted_at, substr(draft_key, 7)::int as n from cases where draft_key like 'bench-%') c
     cross join (values ('reporter', null::bigint, 'submitted', null, 'new', interval '0'),
                        ('system', null::bigint, 'verified', 'new', 'verified', interval '2 days'))
          as e(actor_kind, actor_id, kind, from_status, to_status, after)
     where c.n between $1 and $2`,
    [from, to],
  );
  await client.query("analyze");
}

"""Write a large export in leadspec's generic layout, fast, for the benchmark.

`leadspec sample` makes realistic exports with known violations, but it builds
every lead in Python: right for tests, too slow for ten million leads. This
generator writes the same layout in a few DuckDB statements. Every value comes
from a hash of the lead's number and a salt, so the same arguments give the same
bytes. Leads walk the reference lifecycle at rates close to the domain's (most
are disqualified or nurtured, about one in fourteen converts), each stage change
comes with an owner change or an activity as a CRM history would have it (about
five history rows per lead), and a small share of leads carries a defect (a late
first call, a missing reason, a duplicate email, an unknown source, ...), so that
every rule has work to do.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

AS_OF = "2026-11-02 11:00:00"  # the export's "now": pass it to `leadspec check --as-of`
STAMP = "%Y-%m-%dT%H:%M:%SZ"

# One row per lead: the draws, the path through the lifecycle and the time of each stage.
PLAN = """
CREATE OR REPLACE MACRO u(i, k) AS (hash(i, k, getvariable('seed')) % 1000000) / 1000000.0;
CREATE OR REPLACE TEMP TABLE plan AS
WITH drawn AS (
    SELECT i, u(i, 1) AS u_created, u(i, 2) AS u_motion, u(i, 3) AS u_source, u(i, 4) AS u_final,
           u(i, 5) AS u_branch, u(i, 6) AS u_defect, u(i, 7) AS u_which, u(i, 8) AS u_grade,
           u(i, 9) AS u_score, u(i, 10) AS u_gap1, u(i, 11) AS u_gap2, u(i, 12) AS u_gap3,
           u(i, 13) AS u_gap4, u(i, 14) AS u_gap5, u(i, 15) AS u_act
    FROM range(getvariable('leads')) AS t(i)),
shaped AS (
    SELECT *,
        CASE WHEN u_final < 0.08 THEN 'inquiry' WHEN u_final < 0.10 THEN 'marketing_qualified'
             WHEN u_final < 0.32 THEN 'nurture' WHEN u_final < 0.35 THEN 'sales_accepted'
             WHEN u_final < 0.38 THEN 'sales_qualified' WHEN u_final < 0.45 THEN 'converted'
             ELSE 'disqualified' END AS final,
        CASE WHEN u_motion < 0.6 THEN 'b2b' ELSE 'b2c' END AS motion,
        CASE WHEN u_source < 0.55 THEN 'inbound' WHEN u_source < 0.75 THEN 'outbound'
             WHEN u_source < 0.90 THEN 'partner' ELSE 'reactivation' END AS source_category,
        -- NOTE: 2 in 1,000 leads carry one defect; u_which says which.
        CASE WHEN u_defect < 0.002 THEN CAST(floor(u_which * 10) AS INTEGER) END AS defect
    FROM drawn),
timed AS (
    SELECT *,
        -- open leads are days old, nurtured ones weeks; closed ones up to ten months
        TIMESTAMP '{as_of}' - to_minutes(CAST(CASE
            WHEN final IN ('inquiry', 'marketing_qualified', 'sales_accepted', 'sales_qualified')
            THEN 7200 + u_created * 7200
            WHEN final = 'nurture' THEN 60 * 24 * 10 + u_created * 60 * 24 * 70
            ELSE 60 * 24 * 45 + u_created * 60 * 24 * 260 END AS BIGINT))
            AS t_inquiry,
        final NOT IN ('inquiry', 'nurture', 'disqualified')
            OR (final = 'nurture' AND u_branch >= 0.7)
            OR (final = 'disqualified' AND u_branch >= 0.8) AS reached_mql,
        final IN ('sales_accepted', 'sales_qualified', 'converted')
            OR (final = 'disqualified' AND u_branch >= 0.8) AS reached_sal,
        final IN ('sales_qualified', 'converted') AS reached_sql
    FROM shaped)
SELECT *,
    t_inquiry + to_minutes(CAST(2 + u_gap1 * 20 AS BIGINT)) AS t_mql,
    t_inquiry + to_minutes(CAST(2 + u_gap1 * 20 + 5 + u_gap2 * 60 AS BIGINT)) AS t_sal,
    t_inquiry + to_minutes(CAST(2 + u_gap1 * 20 + 5 + u_gap2 * 60 + 60 + u_gap3 * 4000 AS BIGINT))
        AS t_sql,
    t_inquiry + to_minutes(CAST(2 + u_gap1 * 20 + 5 + u_gap2 * 60 + 60 + u_gap3 * 4000
                                + 600 + u_gap4 * 10000 AS BIGINT)) AS t_converted,
    -- NOTE: a late first touch (defect 0) waits two days, past every first-response window.
    to_minutes(CAST(CASE WHEN defect = 0 THEN 2880 ELSE 1 + u_act * 3 END AS BIGINT)) AS touch
FROM timed
"""

LEADS = """
CREATE OR REPLACE TEMP TABLE leads AS
SELECT
    '00Q' || lpad(CAST(i AS VARCHAR), 12, '0') AS lead_id,
    t_inquiry AS created_at,
    'lead' || CASE WHEN defect = 1 AND i > 0 THEN i - 1 ELSE i END || '@example.com' AS email,
    '555-01' || lpad(CAST(i % 100 AS VARCHAR), 2, '0') AS phone,
    'Alex' AS first_name, 'Rivera' || (i % 997) AS last_name,
    CASE WHEN motion = 'b2b' AND defect IS DISTINCT FROM 2 THEN 'Company ' || (i % 50000) END AS company,
    CASE WHEN motion = 'b2b' THEN 'Operations Manager' END AS job_title,
    ['US', 'CA', 'GB'][1 + i % 3] AS country, 'Retail' AS industry,
    CASE WHEN motion = 'b2b' THEN 10 + (i % 4990) END AS employee_count,
    CASE WHEN motion = 'b2b' THEN 100000.0 * (1 + i % 500) END AS annual_revenue,
    motion,
    CASE WHEN defect = 3 THEN 'webinar' ELSE source_category END AS source_category,
    'web form' AS source_detail,
    CASE WHEN source_category = 'outbound' AND defect IS DISTINCT FROM 4 THEN 'Q3 outbound' END AS campaign,
    CASE WHEN defect = 5 THEN 'opted_out' ELSE 'opted_in' END AS consent_status,
    t_inquiry AS consent_at,
    final AS stage,
    CASE WHEN reached_mql AND defect IS DISTINCT FROM 6 THEN 'OWN' || lpad(CAST(i % 120 AS VARCHAR), 3, '0')
         END AS owner_id,
    CASE WHEN reached_mql THEN t_mql + INTERVAL 3 MINUTE END AS routed_at,
    t_inquiry + touch AS first_contact_at,
    CASE WHEN reached_mql THEN ['A', 'B'][1 + CAST(floor(u_grade * 2) AS INTEGER)]
         WHEN final = 'nurture' THEN ['A', 'B', 'C'][1 + CAST(floor(u_grade * 3) AS INTEGER)]
         ELSE ['A', 'B', 'C', 'D'][1 + CAST(floor(u_grade * 4) AS INTEGER)] END AS fit_grade,
    CAST(CASE WHEN reached_sql THEN 70 + u_score * 30 WHEN reached_mql THEN 50 + u_score * 50
              ELSE u_score * 24 END AS INTEGER) AS intent_score,
    CASE WHEN reached_mql THEN 'decision_ready' ELSE 'problem_aware' END AS readiness,
    CASE WHEN reached_mql THEN t_mql END AS mql_at,
    CASE WHEN reached_sal THEN t_sal END AS sal_at,
    CASE WHEN reached_sql THEN t_sql END AS sql_at,
    CASE WHEN final = 'converted' THEN t_converted END AS converted_at,
    CASE WHEN final = 'disqualified' THEN t_closed END AS disqualified_at,
    CASE WHEN final = 'nurture' THEN t_closed END AS nurture_at,
    CASE WHEN final = 'disqualified' AND defect IS DISTINCT FROM 7
         THEN ['no_fit', 'no_need', 'no_budget', 'unresponsive'][1 + i % 4] END AS disqualification_reason,
    CASE WHEN final = 'nurture' AND reached_mql THEN 'not_ready' END AS recycle_reason,
    CASE WHEN final = 'nurture' AND defect IS DISTINCT FROM 8 THEN 'monthly' END AS nurture_track,
    CASE WHEN final = 'converted' THEN 'OPP' || i END AS opportunity_id,
    CASE WHEN final = 'converted' THEN 5000.0 + (i % 90) * 1000 END AS opportunity_amount,
    CASE WHEN reached_sql THEN 'Budget set; decision this quarter' END AS qualification_notes,
    CASE WHEN reached_sql THEN defect IS DISTINCT FROM 9 END AS budget_confirmed,
    CASE WHEN reached_sql THEN TRUE END AS authority_confirmed,
    CASE WHEN reached_sql THEN TRUE END AS need_confirmed,
    CASE WHEN reached_sql THEN 'this_quarter' END AS timeline,
    GREATEST(t_inquiry + touch, CASE WHEN reached_sal THEN t_sal + touch END,
             CASE WHEN reached_sql THEN t_sql + touch END) AS last_activity_at
FROM (SELECT *,
             CASE WHEN reached_sal THEN t_sal + to_minutes(CAST(600 + u_gap5 * 4000 AS BIGINT))
                  WHEN reached_mql THEN t_mql + to_minutes(CAST(60 + u_gap5 * 1000 AS BIGINT))
                  ELSE t_inquiry + to_minutes(CAST(60 + u_gap5 * 1000 AS BIGINT)) END AS t_closed
      FROM plan)
"""

# One SELECT per kind of history row; a lead gets the rows its path implies.
EVENTS = """
CREATE OR REPLACE TEMP TABLE events AS
WITH p AS (SELECT '00Q' || lpad(CAST(i AS VARCHAR), 12, '0') AS lead_id, p.*, l.disqualified_at,
                  l.nurture_at, l.owner_id
           FROM plan AS p JOIN leads AS l ON l.lead_id = '00Q' || lpad(CAST(p.i AS VARCHAR), 12, '0'))
SELECT lead_id, t_inquiry AS at, 'stage' AS kind, NULL AS from_value, 'inquiry' AS to_value FROM p
UNION ALL SELECT lead_id, t_inquiry + touch, 'activity', NULL, 'Call' FROM p
UNION ALL SELECT lead_id, t_mql, 'stage', 'inquiry', 'marketing_qualified' FROM p WHERE reached_mql
UNION ALL SELECT lead_id, t_mql + INTERVAL 3 MINUTE, 'owner', NULL, owner_id FROM p WHERE reached_mql
UNION ALL SELECT lead_id, t_mql + touch, 'activity', NULL, 'Email' FROM p WHERE reached_mql
UNION ALL SELECT lead_id, t_sal, 'stage', 'marketing_qualified', 'sales_accepted' FROM p WHERE reached_sal
UNION ALL SELECT lead_id, t_sal + touch, 'activity', NULL, 'Call' FROM p WHERE reached_sal
UNION ALL SELECT lead_id, t_sql, 'stage', 'sales_accepted', 'sales_qualified' FROM p WHERE reached_sql
UNION ALL SELECT lead_id, t_sql + touch, 'activity', NULL, 'Meeting' FROM p WHERE reached_sql
UNION ALL SELECT lead_id, t_converted, 'stage', 'sales_qualified', 'converted' FROM p
          WHERE final = 'converted'
UNION ALL SELECT lead_id, disqualified_at, 'stage',
                 CASE WHEN reached_sal THEN 'sales_accepted' ELSE 'inquiry' END, 'disqualified' FROM p
          WHERE final = 'disqualified'
UNION ALL SELECT lead_id, nurture_at, 'stage',
                 CASE WHEN reached_mql THEN 'marketing_qualified' ELSE 'inquiry' END, 'nurture' FROM p
          WHERE final = 'nurture'
UNION ALL SELECT lead_id, nurture_at + touch, 'activity', NULL, 'Email' FROM p WHERE final = 'nurture'
UNION ALL SELECT lead_id, nurture_at + INTERVAL 7 DAY, 'activity', NULL, 'Email opened' FROM p
          WHERE final = 'nurture' AND nurture_at + INTERVAL 7 DAY < TIMESTAMP '{as_of}'
"""


def generate(out: Path, leads: int, seed: int) -> tuple[int, int]:
    """Write out/leads.csv and out/events.csv; return their row counts."""
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(f"SET VARIABLE leads = {int(leads)}")
        con.execute(f"SET VARIABLE seed = {int(seed)}")
        con.execute(PLAN.format(as_of=AS_OF))
        con.execute(LEADS)
        con.execute(EVENTS.format(as_of=AS_OF))
        _write(con, "SELECT * FROM leads ORDER BY lead_id", out / "leads.csv")
        _write(con, 'SELECT * FROM events ORDER BY lead_id, "at", kind, to_value', out / "events.csv")
        counts = con.execute("SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM events)").fetchone()
    assert counts is not None
    return counts[0], counts[1]


def _write(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    # NOTE: every TIMESTAMP column is written in one ISO format with a Z, as CRMs' APIs do.
    con.execute(f"COPY ({query}) TO '{path}' (HEADER, TIMESTAMPFORMAT '{STAMP}')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for leads.csv and events.csv")
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    leads, events = generate(args.out, args.leads, args.seed)
    print(
        f"wrote {leads:,} leads and {events:,} history rows to {args.out} "
        f"in {time.perf_counter() - started:.1f} s (as of {AS_OF} UTC)"
    )


if __name__ == "__main__":
    main()

#pragma once
/* The result of `summary`: what the database holds and the headline
 * figures. The headline and NPS by stage are the customers' view; when
 * employees answered too, their figures follow apart ("Employees' view")
 * with their own n, so a frontline survey never moves the customer
 * headline.
 *
 * Tables: "counts" (pairs: customers, employees, responses, of which
 * employees', events, touchpoints, stages, journeys), "headline" and
 * "nps_by_stage" (metrics tables, report/metrics_report.h), and
 * "employees" only when employees answered. Meta: min_n. */

#include <stdint.h>

struct metrics_result;
struct result;
struct store_counts;

/* head and stages: the customers' figures (stages by DIM_STAGE, NPS);
 * employees: the employees' headline, or NULL / no rows when none
 * answered; n: what the store holds. Caller frees with result_free. */
struct result *summary_report_build(const struct store_counts *n,
                                    const struct metrics_result *head,
                                    const struct metrics_result *stages,
                                    const struct metrics_result *employees);

#pragma once
/* The result of `journey show` for people and spreadsheets: table
 * "touchpoints", one row per touchpoint in journey, stage and touchpoint
 * order (journey key and name, lifecycle, stage position, key and name,
 * touchpoint key, name, channel, owner, moment of truth, physical,
 * aliases), and a row for a stage without touchpoints. The definition
 * itself, which `journey load` reads back, is journey_def_to_json. */

struct journey_def;
struct result;

/* Caller frees with result_free. */
struct result *journey_report_build(const struct journey_def *d);

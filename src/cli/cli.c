#include "cli/cmd.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/strbuf.h"
#include "store/store.h"

static const struct cmd cmds[] = {
    {"init", cmd_init, "Create or migrate the database",
     "usage: resonans init [--db PATH] [--checkpoint]\n"
     "\n"
     "Creates the database if it does not exist and migrates its schema to\n"
     "the current version. Safe to run again.\n",
     CMD_CREATES_DB},
    {"journey", cmd_journey,
     "Journeys: load or show them; paths, variants, funnels from events",
     "usage: resonans journey load FILE.json [--move]\n"
     "       resonans journey show [--format table|csv|json]\n"
     "       resonans journey variants|paths|funnel|conformance|moments\n"
     "                        [options]\n"
     "       resonans journey map [--out FILE.svg|FILE.html] [options]\n"
     "\n"
     "load  reads a journey definition (docs/import-formats.md) and upserts\n"
     "      its journeys, stages and touchpoints by key, all or nothing;\n"
     "      a touchpoint's aliases (other names imports may use) are\n"
     "      replaced by the ones in the file. A touchpoint stored under\n"
     "      another journey than the file's is refused (exit 3, nothing\n"
     "      changed) unless --move is given: then it moves, with its\n"
     "      responses, and each move is printed.\n"
     "show  lists journeys with their stages, touchpoints and aliases;\n"
     "      --format json prints a definition that loads again.\n"
     "\n"
     "From the events (docs/journeys.md): a case is a customer's events,\n"
     "or those with one value of --case; a step is an event's activity\n"
     "(or --by touchpoint, stage, channel).\n"
     "variants     the most frequent step sequences, with durations\n"
     "paths        the directly-follows graph with waits, where cases\n"
     "             stall, rework with its effect on NPS, channel switches\n"
     "funnel       cases reaching each step in order, conversion and\n"
     "             drop-off with CIs (default: the designed stages)\n"
     "conformance  how often paths follow the designed stage order\n"
     "moments      moments of truth: the touchpoints and stages whose\n"
     "             experience best predicts leaving (--outcome notice),\n"
     "             beside the journey's own flags\n"
     "map          the journey drawn from the data: the emotional curve,\n"
     "             drop-off, pain points, moments of truth, themes and a\n"
     "             comment per stage (tables; --out an SVG or HTML page\n"
     "             with the process map and the variants)\n"
     "\n"
     "examples:\n"
     "  resonans journey variants --case arbetsorder \\\n"
     "      --where activity=fault_report,contact,repair\n"
     "  resonans journey paths --case ticket_id --min-n 50\n"
     "  resonans journey funnel --where customer.status=sökande\n"
     "  resonans journey map --lang sv --out karta.html \\\n"
     "      --where activity=fault_report,contact,repair --case arbetsorder\n",
     0},
    {"serve", cmd_serve, "Run the server: surveys, the REST API, users",
     "usage: resonans serve [--listen HOST:PORT] [--config FILE] [options]\n"
     "\n"
     "Serves the survey pages respondents answer (/s/SURVEY), the REST API\n"
     "(/api, described at /api/openapi.json), /healthz and Prometheus\n"
     "/metrics. A submission is acknowledged once it is durably stored, and\n"
     "every query answers from the column store kept in memory, which sees\n"
     "it within a second. Create the first administrator with\n"
     "'resonans user add NAME --role admin' before signing in.\n"
     "Settings come from --config, then RESONANS_<KEY> variables, then the\n"
     "options (docs/server.md). SIGTERM stops it gracefully: requests in\n"
     "flight are finished and what was acknowledged is stored.\n"
     "\n"
     "examples:\n"
     "  resonans user add anna --role admin\n"
     "  resonans serve --listen 0.0.0.0:8080 --base-url "
     "https://cx.example.se\n",
     CMD_CREATES_DB},
    {"customer", cmd_customer, "Erase a customer and all their data",
     "usage: resonans customer erase ID --yes\n"
     "\n"
     "Removes the customer with this id and everything stored about them:\n"
     "their responses with every answer, comment and its analysis, their\n"
     "events and segment history. Freed pages are zeroed, the write-ahead\n"
     "log is checkpointed and the column-store snapshot removed (the next\n"
     "command rebuilds it without them). The audit log records the\n"
     "erasure, naming the customer by a keyed hash of the id, never the\n"
     "id. It cannot be undone. Files exported before are not touched.\n"
     "docs/privacy.md.\n",
     0},
    {"rules", cmd_rules, "Load and show the closed loop's rules",
     "usage: resonans rules load FILE [--backfill-from DATE]\n"
     "       resonans rules show [--format table|csv|json]\n"
     "\n"
     "The loop document (docs/closed-loop.md): rules that open a case for\n"
     "a response (a low score at a touchpoint, a critical theme, strong\n"
     "negative sentiment, a contact-me consent, an employee's observation)\n"
     "with a priority and a deadline in working hours, the teams with their\n"
     "e-mail addresses and escalation, the calendar, webhooks, chat and\n"
     "e-mail notifications and the recovery survey. A load is validated\n"
     "whole (errors name the JSON path) and audited; the rules apply to\n"
     "every response stored after it, from the survey pages, the API or\n"
     "resonans import.\n",
     CMD_CREATES_DB},
    {"cases", cmd_cases, "The cases the rules opened: act on them, measure",
     "usage: resonans cases list [--status S,S] [--team T] [--touchpoint K]\n"
     "                           [--overdue] [--from DATE] [--to DATE]\n"
     "       resonans cases show ID\n"
     "       resonans cases assign ID [--team TEAM] [--to-user USER]\n"
     "       resonans cases contact|resolve|close ID [--note TEXT]\n"
     "                          [--recovery|--no-recovery]\n"
     "       resonans cases note ID TEXT\n"
     "       resonans cases escalate [--at TIME]\n"
     "       resonans cases metrics [--by team|touchpoint] [--from] [--to]\n"
     "       resonans cases areas [--from DATE] [--to DATE] [--window DAYS]\n"
     "       resonans cases improve --touchpoint K [--theme T] --title TEXT\n"
     "                              --done TIME\n"
     "\n"
     "A case moves open -> assigned -> contacted -> resolved -> closed;\n"
     "every change is audited as the OS user. Resolving sends the recovery\n"
     "survey to the customer when the loop document names one. escalate\n"
     "moves every case past its deadline up one level (the server does it\n"
     "by itself). metrics: time to first contact and to resolution\n"
     "(median, 90th percentile, in working hours), share within the\n"
     "deadline, cases per 1,000 responses, recovery. areas: the outer loop,\n"
     "cases grouped by theme and touchpoint with the NPS behind them and\n"
     "the change after an improvement marked done (improve).\n",
     0},
    {"notifications", cmd_notifications,
     "The outbox: notifications pending, sent and dead",
     "usage: resonans notifications list [--state pending|sent|dead]\n"
     "       resonans notifications retry ID\n"
     "       resonans notifications send [--smtp URL] [--mail-from ADDR]\n"
     "\n"
     "Webhooks, chat messages and e-mails wait in the outbox until\n"
     "delivered; a failure is retried with doubling waits and after the\n"
     "last try the message is dead (the dead-letter list) until retried.\n"
     "The server sends by itself; send delivers what is due once.\n",
     0},
    {"user", cmd_user, "Users of the server and their API tokens",
     "usage: resonans user add NAME --role admin|analyst|owner\n"
     "                         [--touchpoints KEY,KEY] [--password-stdin]\n"
     "                         [--lang sv|en]\n"
     "       resonans user passwd NAME [--password-stdin]\n"
     "       resonans user set NAME --lang sv|en|none\n"
     "       resonans user list|tokens [--format table|csv|json]\n"
     "       resonans user token NAME --name LABEL [--scopes read,write]\n"
     "                           [--expires DAYS]\n"
     "       resonans user token --revoke ID\n"
     "       resonans user disable|enable NAME\n"
     "\n"
     "Who may use the server (docs/access.md). An admin may do everything\n"
     "(users, tokens, surveys, data, erasure); an analyst reads everything,\n"
     "creates surveys and writes responses and events; an owner reads the\n"
     "responses of the touchpoints they own. add creates the database if\n"
     "there is none, so the first admin comes before the server runs.\n"
     "Passwords (8..1024 bytes) are asked twice on the terminal, or read\n"
     "as one line from stdin with --password-stdin, and stored as Argon2id\n"
     "hashes. A new password or disable ends the user's sessions.\n"
     "token prints a new API token for programs once on stdout (only its\n"
     "hash is kept); tokens lists them with their ids. Every change is\n"
     "recorded in the audit log as the OS user who made it.\n",
     0},
    {"import", cmd_import, "Import responses, customers or events",
     "usage: resonans import responses|customers|events FILE [options]\n"
     "\n"
     "Reads CSV (comma, semicolon or tab; BOM and decimal commas accepted)\n"
     "or JSON Lines. All or nothing: the first bad row is reported as\n"
     "FILE:LINE:COLUMN and nothing is imported. Rows whose id is already\n"
     "stored are skipped, so importing a file twice changes nothing. A row\n"
     "repeating an earlier one of the file is skipped too; the same id with\n"
     "other values is an error naming both lines.\n"
     "\n"
     "Real exports: --map renames columns, --set adds what a file lacks,\n"
     "--na empties 'N/A', --tz and --time-format read times written\n"
     "without a zone or day first; touchpoints match by key, name or\n"
     "alias in any case.\n"
     "\n"
     "examples:\n"
     "  resonans import responses survey.csv --set touchpoint=flight \\\n"
     "      --map 'Response ID=id,Answered=submitted_at,Seat=rating:seat@5' "
     "\\\n"
     "      --tz Europe/Stockholm --na N/A\n"
     "  resonans import events flights.csv --set activity=flight \\\n"
     "      --map 'Passenger=customer,Date=time' --tz Europe/Stockholm \\\n"
     "      --time-format '%d/%m/%Y %H:%M'\n"
     "  resonans import customers crm.csv --update --as-of 2026-11-01\n"
     "\n"
     "Comments are analysed as they are imported: personal data (e-mail,\n"
     "phone, personnummer, card numbers, addresses) is replaced before the\n"
     "text is stored, always, and so in attr: and choice: values; language,\n"
     "sentiment and themes are stored beside it (docs/text-analytics.md).\n"
     "\n"
     "Columns are documented in docs/import-formats.md.\n",
     CMD_CREATES_DB},
    {"metrics", cmd_metrics, "Any figure with n and 95% CI, by any field",
     "usage: resonans metrics [options]\n"
     "\n"
     "Groups and filters responses by any field: the fixed dimensions\n"
     "(touchpoint, stage, month, nps_group, owner, lifecycle, ...),\n"
     "customer.NAME, attr:NAME, choice:KEY, rating:KEY and features of the\n"
     "customer's events (event.ACTIVITY.ATTR[:latest|count|sum|min|max|\n"
     "mean|first][:30d|:12h|:+30d]); numbers by distinct value, --bins or\n"
     "FIELD:q4. Every figure carries its n; '*' marks n under the minimum.\n"
     "Periods are in the customer's local time; weeks are ISO weeks. The\n"
     "fields and the method are in docs/metrics.md.\n"
     "\n"
     "examples:\n"
     "  resonans metrics --by touchpoint,month --metric nps\n"
     "  resonans metrics --by customer.class --metric rating:wifi,rating:seat\n"
     "  resonans metrics --by event.flight.delay --bins "
     "event.flight.delay=15,60 \\\n"
     "      --metric choice:satisfaction\n"
     "  resonans metrics --where touchpoint=reparation \\\n"
     "      --by event.fault_report.resolution_hours:latest:30d \\\n"
     "      --bins event.fault_report.resolution_hours:latest:30d=24,72,168\n"
     "  resonans metrics --by customer.age:q4 --metric nps,mean:customer.age\n"
     "  resonans metrics --where 'customer.city=\"Falun, "
     "centrum\";nps_group!=passive'\n",
     0},
    {"events", cmd_events, "Operational events: counts, medians, by any field",
     "usage: resonans events [options]\n"
     "\n"
     "Reads the operational events (O-data) on their own: how many, and the\n"
     "median, percentiles, mean or sum of a number attribute, grouped and\n"
     "filtered like metrics. The median's 95% CI comes from order\n"
     "statistics; counts and sums have none (docs/metrics.md).\n"
     "\n"
     "examples:\n"
     "  resonans events --by activity,month --metric "
     "count,median:resolution_hours\n"
     "  resonans events --where activity=fault_report --by attr:category \\\n"
     "      --metric p90:resolution_hours\n"
     "  resonans events --by segment --where activity=contact --metric count\n",
     0},
    {"compare", cmd_compare, "Test a change between two periods or groups",
     "usage: resonans compare --a FILTER --b FILTER [options]\n"
     "\n"
     "FILTER is FIELD=V[,V][;FIELD=V...] (any field metrics takes, with\n"
     "!=, <, >=, ranges A..B), a date range FROM..TO\n"
     "(YYYY-MM-DD..YYYY-MM-DD), or both joined by ';'. Prints both groups\n"
     "with n and CI, the difference B - A with its 95% CI, the test and the\n"
     "p-value. NPS uses a z test on the trinomial variances; CSAT and CES\n"
     "means use Welch's t test; top-two-box and 'easy' shares a z test.\n"
     "--where, --from and --to restrict both groups.\n",
     0},
    {"digest", cmd_digest, "The weekly digest: headline changes, new themes",
     "usage: resonans digest [--week-ending DATE] [--where FILTER]\n"
     "                       [--format table|csv|json] [--lang sv|en]\n"
     "                       [--send --to ADDR[,ADDR...]]\n"
     "\n"
     "The 7 days ending DATE (default: the last day with responses): NPS,\n"
     "CSAT (4-5 %) and CES (5-7 %) against the 7 days before, with the\n"
     "change, its 95% CI and p, as `compare` tests it; and the themes\n"
     "whose share of the week's comments rose beyond their variation over\n"
     "the 6 weeks before (the test of `themes --emerging`). --send queues\n"
     "it as one e-mail per address in the closed loop's outbox (event\n"
     "digest.weekly; `notifications send` or the server sends it) and\n"
     "says on stderr how many were queued. The server sends it on its own\n"
     "every week to the digest_to setting (docs/server.md).\n",
     0},
    {"summary", cmd_summary, "Overview: counts, headline metrics, by stage",
     "usage: resonans summary [options]\n"
     "\n"
     "Counts of customers, responses, events and touchpoints, the headline\n"
     "NPS, CSAT and CES with n and 95% CI, and NPS by journey stage. The\n"
     "headline and the stages are the customers' view; employees' answers\n"
     "are shown apart, with their own n, when there are any.\n",
     0},
    {"export", cmd_export, "Export responses as CSV or JSON Lines",
     "usage: resonans export responses [--format csv|jsonl] [--excel]\n"
     "                                 [--out FILE]\n"
     "\n"
     "Writes every response with its answers, to standard output or FILE.\n"
     "A text cell that a spreadsheet would run as a formula (one beginning\n"
     "with = + - @, TAB or CR) is written with a leading ' so it stays text\n"
     "(docs/output-formats.md).\n",
     0},
    {"text", cmd_text, "Analyse comments: language, sentiment, themes",
     "usage: resonans text analyze [FILE] [--model MODEL] [--lang sv|en]\n"
     "       resonans text eval FILE.tsv [--model MODEL] [--lang sv|en]\n"
     "       resonans text train --labelled FILE.tsv --out MODEL [options]\n"
     "       resonans text train --out MODEL [options]    (weak labels)\n"
     "\n"
     "analyze  reads one comment per line (stdin or FILE) and writes, as it\n"
     "         reads, a JSON Lines object per comment (--format table: a\n"
     "         block per comment; csv): the text, its language with a\n"
     "         confidence, the sentiment score (-1..1), label (positive,\n"
     "         negative, neutral, mixed) and the explanation: each word,\n"
     "         phrase or emoji that moved the score, with the rules applied\n"
     "         to it. Lines that are not UTF-8 get an error object; the exit\n"
     "         code is then 3.\n"
     "eval     scores a labelled file (pos, neg or neu, a TAB, the text)\n"
     "         and prints accuracy (with only pos and neg, a zero score\n"
     "         counts as wrong), macro-F1, the majority-class rate, the\n"
     "         confusion matrix, coverage (texts with a lexicon hit) and\n"
     "         comments/s.\n"
     "train    fits a logistic-regression model on hashed, stemmed words\n"
     "         and word pairs (docs/text-model.md) for --model. With\n"
     "         --labelled, rows are 'label TAB text' (pos, neg; neu rows are\n"
     "         counted but unused). Without it, stored comments are labelled\n"
     "         by their response's score: NPS 0-6 or CSAT 1-2 negative,\n"
     "         NPS 9-10 or CSAT 4-5 positive, others unused. Tuning\n"
     "         defaults were chosen by cross-validation.\n",
     0},
    {"themes", cmd_themes, "Themes in comments, emerging issues, discovery",
     "usage: resonans themes [--by FIELD] [--where FIELD=V[,V]] [--from D]\n"
     "                       [--to D] [--min-n N] [--format table|csv|json]\n"
     "       resonans themes --emerging [--by PERIOD] [--alpha A]\n"
     "                       [--window K] [--where ...]\n"
     "       resonans themes --discover [--where touchpoint=KEY] [--from D]\n"
     "                       [--to D] [--limit N] [--min-comments N]\n"
     "       resonans themes load FILE [--replace]\n"
     "       resonans themes show [--format table|json]\n"
     "       resonans themes reset\n"
     "\n"
     "Without a subcommand: each theme's mentions, the share of analysed\n"
     "comments that mention it and the share of its mentions that are\n"
     "negative/positive, with n; --by FIELD per value of any field metrics\n"
     "takes (a period, segment, customer.NAME, an event feature in --bins).\n"
     "A comment may mention several themes; a sub-theme (a/b) also counts\n"
     "for its parent. --where takes the metrics filters (touchpoint,\n"
     "channel, segment, sentiment, customer.NAME, ...; theme= limits the\n"
     "themes shown).\n"
     "\n"
     "--emerging   theme-periods whose share of comments rose beyond the\n"
     "             previous K periods (default 6, by month): an exact\n"
     "             conditional binomial test and a quasi-binomial t test\n"
     "             must both reject, Holm-adjusted over themes per period\n"
     "             at --alpha (default 0.01), with at least 5 mentions.\n"
     "--discover   candidate themes among comments that matched none:\n"
     "             collocations (log-likelihood) grouped by shared stems,\n"
     "             with example comments and a ready taxonomy line.\n"
     "load         saves a taxonomy (data/text/README-themes.md) that\n"
     "             extends the built-in one (--replace: replaces it) for\n"
     "             comments imported from then on; show lists the themes\n"
     "             in force; reset goes back to the built-in taxonomy.\n"
     "\n"
     "The method and its measured false-alarm rate: docs/text-analytics.md.\n",
     0},
    {"verbatims", cmd_verbatims, "Read the comments behind the numbers",
     "usage: resonans verbatims [options]\n"
     "\n"
     "Comments newest first (default 20), as stored: personal data already\n"
     "redacted. Each shows its sentiment score and label (or 'not scored'\n"
     "for a language the pipeline does not read), the words that moved it\n"
     "and the rules that changed them, its themes with their sentiment, and\n"
     "the kinds of personal data that were replaced.\n",
     0},
    {"drivers", cmd_drivers, "Key drivers: what goes with a better outcome",
     "usage: resonans drivers --drivers LIST [--outcome OUTCOME] [options]\n"
     "\n"
     "Relative importance of each driver for the outcome: its LMG (Shapley)\n"
     "share of R² with a bootstrap 95% CI, Johnson's relative weight, the\n"
     "regression coefficient and, for a 0/1 outcome (promoter, detractor,\n"
     "choice:KEY=VALUE), the odds ratio. --drivers themes gives each theme's\n"
     "prevalence beside its odds ratio and share: what people mention most\n"
     "and what drives the outcome, told apart. docs/drivers.md.\n"
     "\n"
     "examples:\n"
     "  resonans drivers --outcome nps --drivers rating:staff,rating:wait,ces\n"
     "  resonans drivers --outcome detractor --drivers themes\n"
     "  resonans drivers --outcome promoter --drivers csat,language \\\n"
     "      --where channel=onsite --format json\n",
     0},
    {"priorities", cmd_priorities,
     "What to fix first: importance vs performance",
     "usage: resonans priorities --drivers LIST [--outcome OUTCOME] [options]\n"
     "\n"
     "Each driver's importance (LMG share) against its performance (its\n"
     "mean), the quadrant (fix first, keep it up, maintain, possible\n"
     "overinvestment) and the expected change in the outcome if it reached\n"
     "its target: its mean in its best --target-by group (default segment)\n"
     "or --target VALUE. Ranked by expected improvement. docs/drivers.md.\n"
     "\n"
     "examples:\n"
     "  resonans priorities --drivers csat,ces --target-by touchpoint\n"
     "  resonans priorities --outcome detractor --drivers themes\n",
     0},
    {"gap", cmd_gap, "Expectation vs perception gaps and NPS",
     "usage: resonans gap [--question KEY[,KEY]] [--by FIELD|none] [options]\n"
     "\n"
     "For each question answered as a pair (expect:KEY, perceive:KEY on the\n"
     "same scale), overall and per touchpoint (or per value of --by): the\n"
     "pairs n, mean expectation and perception, the mean gap (perception -\n"
     "expectation) with a paired t 95% CI, the share whose expectation was\n"
     "not met (gap < 0, Wilson CI), the OLS slope of the NPS answer on the\n"
     "gap, and NPS of the met against the unmet. Method: docs/gap-link.md.\n"
     "\n"
     "examples:\n"
     "  resonans gap\n"
     "  resonans gap --question speed --by segment --method\n",
     0},
    {"link", cmd_link, "Effect of operations (O-data) on experience",
     "usage: resonans link --measure FIELD [--outcome OUTCOME]\n"
     "                     [--bands E1,E2,...|qN] [--churn ACTIVITY\n"
     "                     [--window Nd] [--revenue customer.NAME|NUMBER]]\n"
     "                     [options]\n"
     "\n"
     "The outcome (NPS, CSAT, CES, promoter or detractor share, a field) by\n"
     "bands of an operational measure with n and 95% CIs, a trend test\n"
     "across the bands (linear-by-linear), and the effect per unit of the\n"
     "measure (OLS slope; for NPS in points per unit). With --churn, the\n"
     "share of customers with that event within the window after their\n"
     "response by NPS group, detractors - promoters, and with --revenue the\n"
     "revenue at risk. Method and assumptions: docs/gap-link.md.\n"
     "\n"
     "examples:\n"
     "  resonans link --measure event.fault_report.resolution_hours \\\n"
     "      --bands 24,72,168,336 --outcome nps\n"
     "  resonans link --measure event.contact:30d --outcome ces\n"
     "  resonans link --measure event.fault_report.resolution_hours \\\n"
     "      --churn notice --window 180d --revenue customer.rent\n",
     0},
    {"patterns", cmd_patterns, "Sense-making patterns of triads and dyads",
     "usage: resonans patterns --triad KEY | --dyad KEY [--by FIELD]\n"
     "                         [--corners A,B,C] [--k N] [--svg FILE] "
     "[options]\n"
     "\n"
     "Where people placed their own stories. For a triad (three weights\n"
     "a|b|c summing to 1): the compositional mean per group with its 95%\n"
     "Hotelling region (in ilr coordinates), the arithmetic means, the share\n"
     "near each corner (weight >= 0.6), clusters of stories (k-means in ilr)\n"
     "and a ternary histogram. For a dyad (0..1): the mean per group with a\n"
     "t CI and a histogram. --svg draws the picture. Read the stories behind\n"
     "a region with verbatims --triad KEY --corner N --min 0.6. Method:\n"
     "docs/patterns.md.\n"
     "\n"
     "examples:\n"
     "  resonans patterns --triad why_contact --corners fix,know,reassure \\\n"
     "      --by segment --svg why_contact.svg\n"
     "  resonans patterns --dyad settled --by segment --method\n",
     0},
    {"personas", cmd_personas, "Personas from data: clusters of customers",
     "usage: resonans personas [--k K | --k-max N] [--features LIST]\n"
     "                         [--truth FIELD] [--seed S] [options]\n"
     "\n"
     "Clusters the customers with responses passing the filters on their\n"
     "attributes (customer.NAME), channel use, behaviour and mean NPS\n"
     "answer with k-prototypes (numeric and categorical features\n"
     "together), choosing k by the silhouette unless --k is given. Each\n"
     "persona is a card: size, defining traits against all customers,\n"
     "channels, NPS with its CI, top themes, pains, the weakest touchpoint\n"
     "and two redacted quotes. Stability: the adjusted Rand index against a\n"
     "second seed, and against --truth when named. docs/personas.md.\n"
     "\n"
     "examples:\n"
     "  resonans personas --features customer.age_band,customer.household,\\\n"
     "      customer.rooms,customer.rent/customer.area_sqm,\\\n"
     "      channels:fault_report,nps --truth segment\n"
     "  resonans personas --k 4 --where touchpoint=reparation --method\n",
     0},
    {"demo", cmd_demo, "Generate the demo data set",
     "usage: resonans demo generate DIR [options]\n"
     "       resonans demo cases [--seed N]\n"
     "\n"
     "generate writes journey.json, customers.csv, responses.csv,\n"
     "events.csv and loop.json (the closed loop's rules) for a Swedish\n"
     "rental-housing company, with planted effects documented in\n"
     "docs/demo-data.md. DIR is created if missing. The same seed and\n"
     "options give byte-identical files. cases plants a case handling\n"
     "history on the cases the demo's rules opened (after resonans rules\n"
     "load DIR/loop.json --backfill-from 2026-01-01) and marks the login\n"
     "fix of April 2026 done.\n",
     0},
};

#define N_CMDS (sizeof cmds / sizeof cmds[0])

/* Each command's option tables, one section per subcommand: --help
 * appends the help generated from the tables the command parses with.
 * A command not listed has its options in its usage text. */
static const struct {
    const char *name;
    const struct opt_section *opts;
} cmd_opts[] = {
    {"init", cmd_init_opts},
    {"journey", cmd_journey_opts},
    {"serve", cmd_serve_opts},
    {"customer", cmd_customer_opts},
    {"user", cmd_user_opts},
    {"cases", cmd_cases_opts},
    {"rules", cmd_rules_opts},
    {"notifications", cmd_notifications_opts},
    {"import", cmd_import_opts},
    {"metrics", cmd_metrics_opts},
    {"compare", cmd_compare_opts},
    {"events", cmd_events_opts},
    {"summary", cmd_summary_opts},
    {"export", cmd_export_opts},
    {"text", cmd_text_opts},
    {"themes", cmd_themes_opts},
    {"digest", cmd_digest_opts},
    {"verbatims", cmd_verbatims_opts},
    {"demo", cmd_demo_opts},
    {"gap", cmd_gap_opts},
    {"link", cmd_link_opts},
    {"drivers", cmd_drivers_opts},
    {"priorities", cmd_priorities_opts},
    {"personas", cmd_personas_opts},
    {"patterns", cmd_patterns_opts},
};

const struct cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < N_CMDS; i++)
        if (!strcmp(cmds[i].name, name))
            return &cmds[i];
    return NULL;
}

int cli_exit_code(int code)
{
    switch (code) {
    case ERR_OK:
        return EXIT_OK;
    case ERR_INVALID:
    case ERR_CONFLICT:
        return EXIT_DATA;
    case ERR_NOTFOUND:
        return EXIT_NOTFOUND;
    default:
        return EXIT_FAIL;
    }
}

/* Writes b's text to f with control characters escaped, then a newline. */
static void say_buf(FILE *f, const struct strbuf *b)
{
    struct strbuf safe = STRBUF_INIT;
    escape_terminal(&safe, strbuf_str(b), b->n);
    strbuf_putc(&safe, '\n');
    fwrite(strbuf_str(&safe), 1, safe.n, f);
    strbuf_dispose(&safe);
}

void cli_say(FILE *f, const char *fmt, ...)
{
    struct strbuf b = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    say_buf(f, &b);
    strbuf_dispose(&b);
}

int cli_error(struct app *app, const struct err *err)
{
    if (err->where[0])
        cli_say(app->err, "resonans: %s: %s", err->where, err->msg);
    else
        cli_say(app->err, "resonans: %s", err->msg);
    return cli_exit_code(err->code);
}

int cli_usage_error(struct app *app, const char *cmd, const char *fmt, ...)
{
    struct strbuf b = STRBUF_INIT;
    va_list ap;
    strbuf_printf(&b, "resonans %s: ", cmd);
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    say_buf(app->err, &b);
    strbuf_dispose(&b);
    fprintf(app->err, "(see 'resonans %s --help')\n", cmd);
    return EXIT_USAGE;
}

int cli_opt_next(struct app *app, const char *cmd, struct opt_parser *p,
                 struct opt *o)
{
    struct err err = ERR_INIT;
    int rc = opt_next(p, o, &err);
    if (rc < 0) {
        cli_usage_error(app, cmd, "%s", err.msg);
        return -1;
    }
    return rc;
}

int cli_render(struct app *app, const struct result *r, enum result_format f,
               unsigned flags)
{
    struct strbuf out = STRBUF_INIT;
    struct err err = ERR_INIT;
    int rc = 0;
    if (result_render_with(&out, r, f, flags, &err) < 0)
        rc = cli_error(app, &err);
    else
        fwrite(strbuf_str(&out), 1, out.n, app->out);
    strbuf_dispose(&out);
    return rc;
}

const char *cli_actor(const struct app *app)
{
    const char *u = app->actor ? app->actor : getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "unknown";
}

int cli_render_owned(struct app *app, const char *cmd, struct result *r,
                     const char *format)
{
    enum result_format f = RESULT_FORMAT_TABLE;
    int rc;
    if (format && result_format_parse(&f, format) < 0)
        rc = cli_usage_error(
            app, cmd, "--format must be table, csv, json, jsonl or html");
    else
        rc = cli_render(app, r, f, 0);
    result_free(r);
    return rc;
}

/* The usage text, then the options of each section, generated from the
 * tables the commands parse with. */
static void print_usage(struct app *app, const struct cmd *c)
{
    struct strbuf b = STRBUF_INIT;
    const struct opt_section *opts = NULL;
    strbuf_puts(&b, c->usage);
    for (size_t i = 0; i < sizeof cmd_opts / sizeof cmd_opts[0]; i++)
        if (!strcmp(cmd_opts[i].name, c->name))
            opts = cmd_opts[i].opts;
    for (const struct opt_section *s = opts; s && s->title; s++) {
        strbuf_printf(&b, "\n%s:\n", s->title);
        opt_help(&b, s->specs);
    }
    fwrite(strbuf_str(&b), 1, b.n, app->out);
    strbuf_dispose(&b);
}

int cli_wants_help(struct app *app, const struct cmd *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            print_usage(app, c);
            return 1;
        }
    }
    return 0;
}

/* The file a database path names, or NULL when it names none (":memory:",
 * a URL: store_open judges those). */
static const char *db_file(const char *path)
{
    if (!path || !strcmp(path, ":memory:") || strstr(path, "://"))
        return NULL;
    return strncmp(path, "sqlite:", 7) ? path : path + 7;
}

struct store *cli_store(struct app *app)
{
    struct err err = ERR_INIT;
    const char *file = db_file(app->db_path);
    if (app->store)
        return app->store;
    app->store_exit = EXIT_FAIL;
    /* Checked before opening, because opening creates: a read command
     * on a mistyped path would report zeros from a new empty database
     * and leave it behind. */
    if (!app->db_create && file && *file && access(file, F_OK) != 0 &&
        errno == ENOENT) {
        err_set(&err, ERR_NOTFOUND,
                "no database at %s (create it with 'resonans init' or "
                "'resonans import')",
                file);
        app->store_exit = cli_error(app, &err);
        return NULL;
    }
    if (store_open(&app->store, app->db_path, &err) < 0) {
        app->store_exit = cli_error(app, &err);
        app->store = NULL;
    }
    return app->store;
}

static void print_help(struct app *app)
{
    fputs("usage: resonans [--db PATH] COMMAND [options]\n"
          "\n"
          "Resonans: customer experience management. Hear customers at every\n"
          "touchpoint, measure with honest statistics, see where it hurts.\n"
          "\n"
          "commands:\n",
          app->out);
    for (size_t i = 0; i < N_CMDS; i++)
        fprintf(app->out, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fputs("\n"
          "  --db PATH   database file (default: $RESONANS_DB or\n"
          "              resonans.db); only init, import, journey load and\n"
          "              themes load create it, other commands say 'no\n"
          "              database' (exit 4)\n"
          "  --version   print the version\n"
          "\n"
          "'resonans COMMAND --help' describes a command. Exit codes: 0 ok,\n"
          "1 failure, 2 usage error, 3 input rejected, 4 not found.\n",
          app->out);
}

/* Removes "--db PATH" / "--db=PATH" anywhere in argv, so it works before
 * or after the command name. Returns the new argc, or -1 if --db lacks a
 * value. */
static int take_db_option(struct app *app, int argc, char **argv)
{
    int j = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < argc)
                argv[j++] = argv[i++];
            break;
        }
        if (!strcmp(argv[i], "--db")) {
            if (i + 1 >= argc)
                return -1;
            app->db_path = argv[++i];
        } else if (!strncmp(argv[i], "--db=", 5)) {
            app->db_path = argv[i] + 5;
        } else {
            argv[j++] = argv[i];
        }
    }
    argv[j] = NULL;
    return j;
}

int cli_main(struct app *app, int argc, char **argv)
{
    const char *env = getenv("RESONANS_DB");
    if (!app->db_path)
        app->db_path = env && *env ? env : "resonans.db";
    argc = take_db_option(app, argc, argv);
    if (argc < 0) {
        fputs("resonans: --db needs a path\n", app->err);
        return EXIT_USAGE;
    }
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        if (argc >= 3 && cli_find(argv[2])) {
            print_usage(app, cli_find(argv[2]));
            return EXIT_OK;
        }
        print_help(app);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        fputs("resonans 0.1.0\n", app->out);
        return EXIT_OK;
    }
    const struct cmd *c = cli_find(argv[1]);
    if (!c) {
        cli_say(app->err,
                "resonans: unknown command '%s' (see 'resonans --help')",
                argv[1]);
        return EXIT_USAGE;
    }
    if (cli_wants_help(app, c, argc - 1, argv + 1))
        return EXIT_OK;
    if (c->flags & CMD_CREATES_DB)
        app->db_create = 1;
    return c->fn(app, argc - 1, argv + 1);
}

// The priorities page in headless Chromium (tests/browser/app_priorities.sh
// runs it): as the analyst, the drivers chosen by default and the page's
// link to the API for them, the matrix and its table against that API
// answer; the demo's example through the form against the API's answer
// the script fetched (importance with its CI, performance, n, the ranked
// order, the NPS points); English; the CSV; too few responses and a bad
// option; axe-core (WCAG 2.1 A/AA) in Swedish, English and at 390 px. As
// the owners of reparation and of kundservice_tel: their touchpoints'
// figures only (as the API gives them, fewer than the analyst's), and
// another touchpoint's never. Screenshots when SHOTS is given.
//   node app_priorities_e2e.js URL CHROMIUM FROM TO DRIVERS API_EXAMPLE
//        API_THEMES [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app_priorities.sh turns into TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const { emit, no, check, axe, signIn, session } = require('./app_lib');

// A number as the page writes it, in Swedish ("−1 234,5") or English
// ("-1,234.5").
function num(s, lang) {
    let t = String(s).trim().replace('\u2212', '-').replace(/[\u202f\u00a0 *]/g, '');
    t = lang === 'sv' ? t.replace(',', '.') : t.replace(/,/g, '');
    return Number(t);
}
// "[lo; hi]" or "[lo, hi]" as two numbers.
function ci(s, lang) {
    const m = String(s).trim().match(/^\[(.*)[;,] (.*)\]$/);
    return m ? [num(m[1], lang), num(m[2], lang)] : [NaN, NaN];
}
const near = (a, b, d) => Math.abs(a - b) <= d + 1e-9;

// The matrix's table behind the chart: driver -> figures.
async function matrixRows(page, lang) {
    const rows = await page.locator('#prio-matrix details table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent,
            ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
    return rows.map(([driver, imp, c, perf, quadrant, n]) => ({
        driver, imp: num(imp, lang), ci: ci(c, lang), perf: num(perf, lang),
        quadrant, n: num(n, lang),
    }));
}

// The ranked list's drivers, in order.
async function rankedDrivers(page) {
    return page.locator('.prio-ranked table.result tbody th[scope=row]').allInnerTexts();
}

// Compares the page's figures with an API answer (JSON of the result
// model); what: the case's name.
async function compare(page, api, lang, what) {
    const rows = await matrixRows(page, lang);
    const want = api.priorities || [];
    check(rows.length === want.length && rows.length > 0,
        `${what}: the matrix has the API's ${want.length} drivers`,
        rows.map((r) => r.driver).join(' '));
    let bad = [];
    for (const w of want) {
        const r = rows.find((x) => x.driver === w.driver);
        if (!r) { bad.push(`${w.driver} missing`); continue; }
        const imp = w.importance_pct;
        if (!near(r.imp, imp.value, 0.051)) bad.push(`${w.driver} importance ${r.imp} vs ${imp.value}`);
        if (!near(r.ci[0], imp.ci95[0], 0.051) || !near(r.ci[1], imp.ci95[1], 0.051))
            bad.push(`${w.driver} CI ${r.ci} vs ${imp.ci95}`);
        if (!near(r.perf, w.performance_pct, 0.51)) bad.push(`${w.driver} performance ${r.perf} vs ${w.performance_pct}`);
        if (r.n !== api.n) bad.push(`${w.driver} n ${r.n} vs ${api.n}`);
    }
    check(bad.length === 0,
        `${what}: importance, its CI, performance and n equal the API's`, bad.join('\n'));
    const order = await rankedDrivers(page);
    check(JSON.stringify(order) === JSON.stringify(want.map((w) => w.driver)),
        `${what}: the ranked list in the API's order`, `${order} vs ${want.map((w) => w.driver)}`);
    const card = await page.locator('.prio-cards .card .n').first().innerText();
    check(num(card.replace(/^n = /, '').replace(/\D+$/, ''), lang) === api.n,
        `${what}: the page's n ${card} is the API's ${api.n}`, card);
}

// As app_lib's shoot (priorities-1280x800.png, priorities-390x844.png),
// scrolled to the matrix, the page's main figure, at each size.
async function shootMatrix(page, dir) {
    if (!dir) return;
    for (const [w, h] of [[1280, 800], [390, 844]]) {
        await page.setViewportSize({ width: w, height: h });
        await page.locator('#h-matrix').evaluate((e) => e.scrollIntoView());
        await page.screenshot({ path: path.join(dir, `priorities-${w}x${h}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
}

async function main() {
    const [url, exe, from, to, drivers, exampleFile, themesFile, shots] = process.argv.slice(2);
    const example = JSON.parse(fs.readFileSync(exampleFile, 'utf8'));
    const themes = JSON.parse(fs.readFileSync(themesFile, 'utf8'));
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    const period = `from=${from}&to=${to}`;
    try {
        // ---- the analyst, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'ana', 'ana-pass-123', '/app/priorities');
        check(await page.locator('h1').count() === 1 &&
            /Vad ska åtgärdas först/.test(await page.locator('h1').innerText()),
            'one h1, in Swedish');
        const used = (await page.locator('.prio-used code').innerText()).split(',').sort();
        check(JSON.stringify(used) === JSON.stringify(drivers.split(',').sort()),
            'without drivers given, the page uses the rating battery answered in the view',
            used.join(','));
        check(/automatiskt/.test(await page.locator('.prio-used').innerText()),
            'and says they were chosen automatically');
        check(await page.locator('main .note', { hasText: 'senaste 12 månaderna' }).count() === 1,
            'without a period, the page says which it used');
        check(await page.locator('#prio-matrix svg[role=img] title').count() === 1 &&
            (await page.locator('#prio-matrix svg desc').textContent()).length > 20 &&
            await page.locator('#prio-matrix details table').count() === 1,
            'the matrix is an SVG image with a title, a description and a table behind it');
        check(await page.locator('#prio-matrix .mlabel').count() === used.length &&
            await page.locator('#prio-matrix .qline').count() === 2,
            'each driver is a labelled point; the quadrant lines are drawn');
        check(await page.locator('.prio-ranked table.result caption').count() === 1 &&
            await page.locator('.prio-ranked details.method').count() === 1,
            'the ranked list is a captioned table with its method notes');
        // the page's own link to the API: the very same figures
        const apiHref = await page.locator('main a.api').getAttribute('href');
        let r = await page.request.get(url + apiHref);
        check(r.status() === 200, `the page links the API's request (${apiHref})`, String(r.status()));
        if (r.status() === 200)
            await compare(page, await r.json(), 'sv', 'default drivers');
        await axe(page, 'the priorities (sv)');
        await shootMatrix(page, shots);
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the priorities at 390 px');
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        check(sw <= 390, `no sideways scrolling at 390 px (${sw})`, String(sw));
        await page.setViewportSize({ width: 1280, height: 800 });

        // ---- the demo's example through the form ----
        await page.goto(`${url}/app/priorities?${period}`);
        await page.fill('#where', 'touchpoint=reparation');
        await page.fill('#drivers', drivers);
        await page.fill('#target_by', 'customer.district');
        await Promise.all([page.waitForNavigation(), page.click('form.prio-form button[type=submit]')]);
        const u = new URL(page.url());
        check(u.searchParams.get('where') === 'touchpoint=reparation' &&
            u.searchParams.get('drivers') === drivers &&
            u.searchParams.get('target_by') === 'customer.district' &&
            u.searchParams.get('from') === from,
            'the form keeps the filters and the options in the URL', page.url());
        await compare(page, example, 'sv', 'the demo\'s example (sv)');
        const first = example.priorities[0];
        const cells = await page.locator('.prio-ranked table.result tbody tr').first().innerText();
        const pts = first.expected_nps_points.value.toFixed(2).replace('.', ',').replace('-', '\u2212');
        check(cells.includes(pts) && cells.includes(first.target_group),
            `the first driver's NPS points (${pts}) and best district (${first.target_group})`, cells);

        // English
        await page.goto(`${url}/app/priorities?lang=en&${period}&where=touchpoint%3Dreparation` +
            `&drivers=${encodeURIComponent(drivers)}&target_by=customer.district`);
        check(await page.locator('html').getAttribute('lang') === 'en' &&
            /What to fix first/.test(await page.locator('h1').innerText()),
            '?lang=en gives English');
        await compare(page, example, 'en', 'the demo\'s example (en)');
        await axe(page, 'the priorities (en)');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the priorities (en) at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });

        // the CSV: the ranked table
        const csvLink = page.locator('main a.export');
        check(await csvLink.count() === 1 && /format=csv/.test(await csvLink.getAttribute('href')),
            'the page links its CSV');
        r = await page.request.get(url + await csvLink.getAttribute('href'));
        const csv = await r.text();
        const lines = csv.trim().split('\n');
        check(r.status() === 200 && /^text\/csv/.test(r.headers()['content-type']) &&
            /filename="priorities\.csv"/.test(r.headers()['content-disposition'] || '') &&
            /^rank,driver,quadrant,importance_pct,/.test(lines[0]) &&
            lines.length === example.priorities.length + 1 &&
            lines[1].startsWith(`1,${first.driver},`),
            '?format=csv downloads the ranked table', `${r.status()}\n${csv.slice(0, 300)}`);

        // too few responses, and a bad option
        r = await page.goto(`${url}/app/priorities?from=2030-01-01&to=2030-12-31`);
        check(r.status() === 200 && await page.locator('[role=alert]').count() === 1 &&
            await page.locator('#prio-matrix').count() === 0,
            'a period without responses: a message, no figures', String(r.status()));
        await axe(page, 'the message for too few responses');
        r = await page.request.get(`${url}/app/priorities?target_by=nope`);
        const bad = await r.text();
        check(r.status() === 400 && /target_by: unknown field/.test(bad) && /role="alert"/.test(bad),
            'a bad option: 400 with a message naming it', `${r.status()} ${bad.slice(-600)}`);
        await ctx.close();

        // ---- the owner of reparation ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app/priorities');
        check(await page.locator('main .note', { hasText: 'dina kontaktpunkter' }).count() === 1,
            'the owner is told the analysis covers their touchpoints');
        await page.goto(`${url}/app/priorities?${period}&drivers=csat`);
        r = await page.request.get(`${url}/api/analyses/priorities?drivers=csat&${period}`);
        const own = await r.json();
        r = await page.request.get(`${url}/api/analyses/priorities?drivers=csat&${period}` +
            '&where=touchpoint%3Dreparation');
        const repair = await r.json();
        await compare(page, own, 'sv', 'the owner of reparation, csat as driver');
        check(own.n === repair.n, `the owner's figures are reparation's (n ${own.n})`,
            `${own.n} vs ${repair.n}`);
        r = await page.goto(`${url}/app/priorities?${period}&drivers=csat&where=touchpoint%3Dkundservice_tel`);
        check(await page.locator('[role=alert]').count() === 1 &&
            await page.locator('#prio-matrix').count() === 0,
            'another touchpoint\'s data: a message, no figures');
        await axe(page, 'the owner\'s page');
        await ctx.close();

        // ---- the owner of kundservice_tel: no ratings there, so themes ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'ks', 'ks-pass-123', '/app/priorities');
        await page.goto(`${url}/app/priorities?${period}`);
        check((await page.locator('.prio-used code').innerText()) === 'themes',
            'at kundservice_tel (no rating questions) the comments\' themes are used',
            await page.locator('.prio-used').innerText());
        r = await page.request.get(`${url}/api/analyses/priorities?drivers=themes&${period}`);
        const ks = await r.json();
        if (await page.locator('#prio-matrix').count())
            await compare(page, ks, 'sv', 'the owner of kundservice_tel, themes');
        else
            no('the owner of kundservice_tel sees the themes\' priorities',
                await page.locator('main').innerText());
        check(ks.n > 0 && ks.n < themes.n,
            `the owner's responses (${ks.n}) are fewer than the analyst's (${themes.n})`);
        await ctx.close();

        check(ses.outside.length === 0, 'no request left the server', ses.outside.join('\n'));
        check(ses.errors.length === 0, 'no page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser session ran to its end', e.stack || String(e));
    } finally {
        await browser.close();
    }
    emit('#', 'done');
}

main();

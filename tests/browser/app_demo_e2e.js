// Every view of the web app over the demo data in headless Chromium
// (tests/browser/app_demo.sh runs it): an analyst opens every view, an
// administrator the survey and admin views, the owner of reparation what
// they may; each view is checked with axe-core, its numbers compared with
// the API's for the same filters on a sample of cells, and kept as
// screenshots at 1280x800 and 390x844 when SHOTS is given.
//   node app_demo_e2e.js URL CHROMIUM CASE_ID [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines.
'use strict';
const { emit, ok, no, check, axe, signIn, shoot, session } = require('./app_lib');

// A number as the page writes it ("−12,3" in Swedish) as a JS number.
// Only its first number: "2,9 [0,6; 5,3]" is 2.9.
function num(s) {
    const first = String(s).trim().replace(/[\u202f\u00a0]/g, '').split(/[\s\[]/)[0];
    return Number(first.replace(/\u2212/g, '-').replace(',', '.').replace('%', ''));
}
const near = (a, b, tol) => Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= tol;

const FROM = '2026-01-01';
const TO = '2026-06-30';

// The API's answer for a GET (with the page's session cookie).
async function api(page, url, path) {
    const r = await page.request.get(url + path);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status(), body };
}

// Opens path, checks it answers 200 with one h1 and no error, runs axe,
// keeps screenshots; returns the response status.
async function visit(page, url, path, name, shots, opts = {}) {
    const resp = await page.goto(url + path);
    const status = resp ? resp.status() : 0;
    const h1 = await page.locator('h1').count();
    check(status === 200 && h1 === 1, `${name}: ${path} answers 200 with one h1`,
        `status ${status}, h1 ${h1}`);
    if (opts.axe !== false) await axe(page, `${name} (${path})`);
    if (shots && opts.shot) await shootAt(page, shots, opts.shot, opts.at);
    return status;
}

// As app_lib's shoot, scrolled to the view's main figure (selector at)
// at each size, so the screenshot shows what the view is for.
async function shootAt(page, dir, name, at) {
    if (!at) return shoot(page, dir, name);
    for (const [w, h] of [[1280, 800], [390, 844]]) {
        await page.setViewportSize({ width: w, height: h });
        await page.locator(at).first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: require('path').join(dir, `${name}-${w}x${h}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
}

// The cells (td) of the first row under sel whose first cell (th or td)
// reads key, as texts; [] when none.
async function rowOf(page, sel, key) {
    return page.evaluate(([sel, key]) => {
        for (const tr of document.querySelectorAll(sel + ' table tbody tr')) {
            const first = tr.firstElementChild;
            if (first && first.textContent.trim() === key)
                return [...tr.querySelectorAll('td')].map((c) => c.textContent.trim());
        }
        return [];
    }, [sel, key]);
}

async function main() {
    const [url, exe, caseId, shots] = process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    try {
        // ---- the analyst, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await page.goto(url + '/app/login');
        await axe(page, 'the sign-in page');
        if (shots) await shoot(page, shots, 'login');
        await signIn(page, url, 'anna', 'anna-pass-12', '/app');
        const views = [
            ['/app', 'overview'],
            ['/app/journey', 'journey', '#h-map'],
            ['/app/touchpoints', 'touchpoints'],
            ['/app/touchpoints/reparation', 'touchpoint'],
            ['/app/priorities', 'priorities', '#prio-matrix'],
            ['/app/personas', 'personas', 'main article.persona'],
            ['/app/stories?triad=why_contact&corners=fix,know,reassure&by=segment', 'stories', 'figure.chart-ternary'],
            ['/app/cases', 'cases'],
            [`/app/cases/${caseId}`, 'case'],
            ['/app/account', 'account'],
        ];
        for (const [path, shot, at] of views)
            await visit(page, url, path, 'the analyst', shots, { shot, at });
        const nav = await page.locator('nav.main-nav a').allInnerTexts();
        check(nav.length === 8 && nav.includes('Enkäter') && !nav.includes('Administration'),
            'the analyst\'s navigation: eight views with surveys, no admin', nav.join(', '));
        // ---- the overview against the API, for the same filters ----
        await page.goto(`${url}/app?from=${FROM}&to=${TO}`);
        const m = await api(page, url, `/api/analyses/metrics?from=${FROM}&to=${TO}&metric=nps`);
        const shownNps = num(await page.locator('.cards .card .value').first().innerText());
        check(m.status === 200 && near(shownNps, m.body.cells[0].nps.value, 0.051),
            `the overview's NPS ${shownNps} is the API's`, JSON.stringify(m.body).slice(0, 300));
        const bs = await api(page, url, `/api/analyses/metrics?from=${FROM}&to=${TO}&metric=nps&by=stage`);
        const stage = bs.body && bs.body.cells[0];
        if (stage) {
            const label = stage.stage_name;
            const cell = (await rowOf(page, 'main', label))[1];
            check(near(num(cell), stage.nps.value, 0.051),
                `the overview's NPS at stage ${label} (${cell}) is the API's`, JSON.stringify(stage));
        } else no('the API by stage', JSON.stringify(bs));
        // ---- a filter, applied on the overview and kept from view to view ----
        await page.fill('#where', 'channel=app');
        await Promise.all([page.waitForNavigation(), page.press('#where', 'Enter')]);
        const u = new URL(page.url());
        check(u.searchParams.get('where') === 'channel=app' && u.searchParams.get('from') === FROM,
            'the filter and the period are in the URL', page.url());
        await Promise.all([page.waitForNavigation(),
            page.locator('nav.main-nav a', { hasText: 'Kontaktpunkter' }).click()]);
        const u2 = new URL(page.url());
        check(u2.pathname === '/app/touchpoints' && u2.searchParams.get('where') === 'channel=app' &&
            await page.inputValue('#where') === 'channel=app',
            'the navigation keeps the filter: the touchpoints for channel=app', page.url());
        const ma = await api(page, url,
            `/api/analyses/metrics?from=${FROM}&to=${TO}&where=channel%3Dapp&metric=nps&by=touchpoint`);
        const tpCell = ma.body && ma.body.cells.find((c) => c.touchpoint === 'app_inlogg' ||
            (c.label && c.label[0] === 'app_inlogg'));
        const shownTp = await page.locator('main table tbody tr')
            .filter({ has: page.locator('a[href^="/app/touchpoints/app_inlogg"]') })
            .first().locator('td').nth(1).innerText().catch(() => '');
        check(tpCell && near(num(shownTp), tpCell.nps.value, 0.051),
            `app_inlogg's NPS for channel=app (${shownTp}) is the API's`,
            JSON.stringify(tpCell || ma.body).slice(0, 300));
        // ---- the drill-down: overview -> touchpoints -> reparation -> a comment ----
        await page.goto(`${url}/app?from=${FROM}&to=${TO}`);
        await Promise.all([page.waitForNavigation(),
            page.locator('nav.main-nav a', { hasText: 'Kontaktpunkter' }).click()]);
        await Promise.all([page.waitForNavigation(),
            page.locator('main table a', { hasText: /reparation|Reparation/ }).first().click()]);
        check(new URL(page.url()).pathname === '/app/touchpoints/reparation',
            'the drill-down reaches reparation from the overview', page.url());
        const v = page.locator('article.verbatim').first();
        check(await v.count() === 1 && (await v.locator('dl.analysis').count()) === 1,
            'and a comment there, with its analysis (sentiment, words, themes)',
            await page.locator('main').innerText().then((t) => t.slice(-400)));
        // ---- what to fix first: the demo's example, against the API ----
        const R4 = 'rating:speed,rating:quality,rating:communication,rating:staff';
        const pq = `from=${FROM}&to=${TO}&where=touchpoint%3Dreparation&drivers=${R4}`;
        await page.goto(`${url}/app/priorities?${pq}&target_by=customer.district`);
        const pa = await api(page, url, `/api/analyses/priorities?${pq}&target-by=customer.district`);
        const speed = pa.body && (pa.body.priorities || []).find((d) => d.driver === 'rating:speed');
        const srow = await rowOf(page, '#prio-matrix', 'rating:speed');
        check(speed && near(num(srow[0]), speed.importance_pct.value, 0.051),
            `priorities at reparation: rating:speed's importance ${srow[0]} % is the API's`,
            `${srow} / ${JSON.stringify(pa.body).slice(0, 300)}`);
        const first = await page.locator('.prio-ranked table.result tbody th[scope=row]').first().innerText();
        check(pa.body && pa.body.priorities[0].driver === first,
            `and the ranked list starts with the API's first, ${first}`);
        // ---- personas: the page's own choice of features, asked of the API ----
        await page.goto(`${url}/app/personas`);
        const feats = (await page.locator('#features-used').innerText()).trim();
        const pfrom = await page.locator('#persona-period').getAttribute('data-from');
        const pp = await api(page, url,
            `/api/analyses/personas?features=${encodeURIComponent(feats)}&from=${pfrom}`);
        const sizes = await page.locator('main article.persona .persona-figs .value')
            .evaluateAll((v) => v.filter((_, i) => i % 2 === 0).map((e) => e.textContent));
        const apiSizes = pp.body && pp.body.personas ? pp.body.personas.map((x) => x.customers) : [];
        check(apiSizes.length > 1 && sizes.length >= apiSizes.length &&
            apiSizes.every((n, i) => num(sizes[i]) === n),
            `personas: ${apiSizes.length} cards with the API's customers (${apiSizes.join(', ')})`,
            `${sizes} / ${JSON.stringify(pp.body).slice(0, 300)}`);
        // ---- stories: the stories near a corner are the API's ----
        await page.goto(`${url}/app/stories?triad=why_contact&region=corner-2`);
        const stories = await page.locator('li.story blockquote').allInnerTexts();
        const sv = await api(page, url, '/api/analyses/verbatims?triad=why_contact&corner=2&min=0.6');
        const apiStories = sv.body && sv.body.comments ? sv.body.comments.map((c) => c.text.trim()) : [];
        check(stories.length > 0 && stories.length === apiStories.length &&
            stories.every((t, i) => t.trim() === apiStories[i]),
            `stories near the triad's second corner: the API's ${apiStories.length}, newest first`,
            `${stories.slice(0, 2).join(' | ')} / ${apiStories.slice(0, 2).join(' | ')}`);
        // ---- every view with figures exports them as CSV ----
        for (const [path, name] of [['/app/journey', 'journey'], ['/app/cases', 'cases'],
            ['/app/touchpoints', 'touchpoints'], ['/app/priorities', 'priorities'],
            ['/app/personas', 'personas'], ['/app/stories', 'stories']]) {
            await page.goto(`${url}${path}?from=${FROM}&to=${TO}`);
            const link = page.locator('main .exports a[download]').first();
            if (await link.count() !== 1) { no(`${name}: a CSV link`); continue; }
            const href = await link.getAttribute('href');
            const r = await page.request.get(url + href);
            const text = await r.text();
            check(r.status() === 200 && /text\/csv/.test(r.headers()['content-type']) &&
                text.split('\n').length > 2,
                `${name}: the view's CSV (${href})`, `${r.status()} ${text.slice(0, 200)}`);
        }
        await page.goto(`${url}/app/cases`);
        const inbox = await page.locator('main table tbody tr').count();
        const cv = await page.request.get(url + await page.locator('main .exports a').getAttribute('href'));
        const cvLines = (await cv.text()).trim().split('\n').length - 1;
        check(cvLines === inbox, `the inbox's CSV has its ${inbox} cases`, `${cvLines}`);
        // ---- English, on a phone ----
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${url}/app?lang=en&from=${FROM}&to=${TO}`);
        check(/\d\.\d/.test(await page.locator('.cards .card .value').first().innerText()),
            'English: a decimal point');
        await axe(page, 'the overview in English at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });
        await ctx.close();

        // ---- the administrator: surveys and admin ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/admin');
        for (const [path, shot] of [
            ['/app/surveys', 'surveys'],
            ['/app/surveys/repair', 'survey'],
            ['/app/surveys/new', 'survey-new'],
            ['/app/admin', 'admin'],
            ['/app/admin/users', 'admin-users'],
            ['/app/admin/tokens', 'admin-tokens'],
            ['/app/admin/journey', 'admin-journey'],
            ['/app/admin/taxonomy', 'admin-taxonomy'],
            ['/app/admin/rules', 'admin-rules'],
        ])
            await visit(page, url, path, 'the admin', shots, { shot });
        check(await page.locator('nav.main-nav a').count() === 9,
            'the admin\'s navigation has all nine views');
        await ctx.close();

        // ---- the owner of reparation ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app');
        const onav = await page.locator('nav.main-nav a').allInnerTexts();
        check(!onav.includes('Enkäter') && !onav.includes('Administration'),
            'the owner\'s navigation has neither surveys nor admin', onav.join(', '));
        for (const [path, shot] of [
            ['/app', 'owner-overview'],
            ['/app/touchpoints', null],
            ['/app/cases', 'owner-cases'],
            ['/app/priorities', null],
            ['/app/personas', null],
            ['/app/stories', null],
            ['/app/journey', null],
        ])
            await visit(page, url, path, 'the owner', shots, { shot, axe: shot !== null });
        ses.expect404 = true; /* and the 403s asked for */
        for (const p of ['/app/admin', '/app/admin/users', '/app/surveys'])
            check((await page.goto(url + p)).status() === 403, `the owner gets 403 on ${p}`);
        check((await page.goto(url + '/app/touchpoints/kundservice_tel')).status() === 404,
            'another touchpoint is "not found" to the owner');
        ses.expect404 = false;
        await page.goto(`${url}/app/touchpoints?from=${FROM}&to=${TO}`);
        const links = await page.locator('main table tbody a').allInnerTexts();
        check(links.length === 1 && /reparation/i.test(links[0]),
            'the owner\'s touchpoints: reparation only', links.join(', '));
        await page.goto(`${url}/app?from=${FROM}&to=${TO}`);
        const om = await api(page, url,
            `/api/analyses/metrics?from=${FROM}&to=${TO}&metric=nps&where=touchpoint%3Dreparation`);
        const ocard = await page.locator('.cards .card').first().innerText();
        const on = Number((ocard.match(/n = (\d+)/) || [])[1]);
        check(om.status === 200 && on === om.body.cells[0].nps.n,
            `the owner's overview counts reparation only (n ${on})`, `${ocard} / ${JSON.stringify(om.body).slice(0, 200)}`);
        await page.goto(`${url}/app/cases?status=closed`);
        const rows = await page.locator('main table tbody tr').count();
        const ac = await api(page, url, '/api/cases?status=closed&limit=500');
        check(ac.status === 200 && rows > 0 && rows === Math.min(500, ac.body.cases.length) &&
            ac.body.cases.some((c) => c.touchpoint === 'reparation'),
            `the owner's closed cases: ${rows} on the page, as the API lists for them`,
            `${rows} / ${JSON.stringify(ac.body).slice(0, 300)}`);
        const all = await api(page, url, '/api/cases?limit=10000');
        const admin = all.body ? all.body.cases.filter((c) => c.touchpoint !== 'reparation').length : -1;
        emit('#', `the owner sees ${all.body ? all.body.cases.length : 0} cases, ${admin} of them at other touchpoints (their team's)`);
        await ctx.close();

        check(ses.outside.length === 0, 'no request left this server', ses.outside.join('\n'));
        check(ses.errors.length === 0, 'no page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser run finished', String(e && e.stack || e));
    } finally {
        await browser.close();
    }
}

main();

// The web app's journey map in headless Chromium (tests/browser/app_journey.sh
// runs it): as the admin, /app/journey shows the map (an SVG with role=img,
// a title and a description) and a table of its stages whose NPS and n are
// the API's /api/analyses/metrics?by=stage&metric=nps for the same filters;
// the second journey is a link away; a touchpoint owner sees their own
// touchpoint only. axe-core (WCAG 2.1 A and AA) runs in Swedish, English and
// 390 px wide; no console or CSP error and no request leaving the server.
// Screenshots at 1280x800 and 390x844 when SHOTS (a directory) is given.
//   node app_journey_e2e.js URL CHROMIUM FROM TO WHERE API_JSON API_WHERE_JSON [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app_journey.sh turns into TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const { emit, ok, no, check, axe, shoot, session } = require('./app_lib');

// the stages table's caption, in English and in Swedish (report/labels_sv.c)
const STAGES_CAPTION = ['The emotional curve, stage by stage',
    'Den emotionella kurvan, steg för steg'];

// The first number of a cell as the page writes it ("−12,3 [−15,0; −9,6]"
// in Swedish, "24*") as a JS number; NaN for "–".
function num(s, sv) {
    let t = String(s).trim().replace(/\u2212/g, '-').replace(/[\u202f\u00a0]/g, '');
    if (!sv) t = t.replace(/,/g, '');
    const m = t.match(/^[-+]?\d+(?:[.,]\d+)?/);
    return m ? Number(m[0].replace(',', '.')) : NaN;
}

// The stages table of the page: key -> {n, nps} from its cells.
async function stageTable(page, sv) {
    const rows = await page.evaluate((captions) => {
        const t = [...document.querySelectorAll('table')].find((x) =>
            x.caption && captions.includes(x.caption.textContent.trim()));
        if (!t) return null;
        const head = [...t.tHead.rows[0].cells].map((c) => c.textContent.trim());
        return {
            head,
            rows: [...t.tBodies[0].rows].map((r) =>
                [...r.cells].map((c) => c.textContent.trim())),
        };
    }, STAGES_CAPTION);
    if (!rows) return null;
    const iN = rows.head.indexOf('NPS n');
    const iV = rows.head.findIndex((h) => /^NPS\b/.test(h) && h !== 'NPS n');
    const out = {};
    for (const r of rows.rows)
        out[r[0]] = { n: num(r[iN], sv), nps: num(r[iV], sv), raw: r[iV] };
    return out;
}

// Compares every stage of the API's answer with the page's table.
function compare(table, api, what) {
    if (!table) {
        no(`${what}: the page has a table of stages`, 'no table captioned ' + STAGES_CAPTION.join(' or '));
        return;
    }
    const bad = [];
    let compared = 0;
    for (const c of api.cells) {
        const row = table[c.stage];
        if (!row) { bad.push(`stage ${c.stage} missing from the page`); continue; }
        compared++;
        const v = c.nps.value;
        if (row.n !== c.nps.n) bad.push(`${c.stage}: n page ${row.n}, API ${c.nps.n}`);
        if (v === null ? !Number.isNaN(row.nps) : Math.abs(row.nps - v) > 0.051)
            bad.push(`${c.stage}: NPS page ${row.raw}, API ${v}`);
    }
    check(compared > 0 && bad.length === 0,
        `${what}: NPS and n of ${compared} stages equal the API's`, bad.join('\n'));
}

async function signIn(page, url, name, pw, next) {
    await page.goto(url + next);
    await page.fill('#name', name);
    await page.fill('#password', pw);
    await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
    check(new URL(page.url()).pathname === new URL(url + next).pathname,
        `${name}: signed in, at ${next}`, page.url());
}

async function main() {
    const [url, exe, from, to, where, apiFile, apiWhereFile, shots] =
        process.argv.slice(2);
    const api = JSON.parse(fs.readFileSync(apiFile, 'utf8'));
    const apiWhere = JSON.parse(fs.readFileSync(apiWhereFile, 'utf8'));
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    try {
        // ---- the admin, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/journey');
        check(await page.locator('html').getAttribute('lang') === 'sv',
            'Swedish by Accept-Language', await page.locator('html').getAttribute('lang'));
        check(await page.locator('h1').count() === 1 &&
            /Hyresgästens resa/.test(await page.locator('h1').innerText()),
            'one h1, naming the first journey', await page.locator('h1').allInnerTexts());
        const svg = page.locator('main svg[role=img]');
        check(await svg.count() === 1, 'the map is an SVG with role=img');
        const named = await svg.evaluate((s) => {
            const ids = (s.getAttribute('aria-labelledby') || '').split(/\s+/);
            const t = s.querySelector(':scope > title');
            const d = s.querySelector(':scope > desc');
            return {
                title: t ? t.textContent : '', desc: d ? d.textContent : '',
                linked: !!t && !!d && ids.includes(t.id) && ids.includes(d.id),
                stages: s.querySelectorAll('#jm-stages text').length,
                width: s.getBoundingClientRect().width,
            };
        });
        check(named.linked && named.title.length > 0 && /NPS/.test(named.desc),
            'the map has a title and a description it is labelled by',
            JSON.stringify(named));
        check(/Söka bostad/.test(named.desc) && /Tapp/.test(named.desc),
            "the map's description names the stages, their NPS and drop-off",
            named.desc);
        check(named.width <= 1130, `the map fits the 1280 px window (${Math.round(named.width)} px)`,
            String(named.width));
        await axe(page, 'the journey map (sv)');
        await shoot(page, shots, 'journey');

        // the same filters as the API: no filter, then WHERE (in English)
        await page.goto(`${url}/app/journey?from=${from}&to=${to}`);
        const sv = await stageTable(page, true);
        compare(sv, api, `${from}..${to}`);
        check(sv && Object.values(sv).some((r) => /\d,\d/.test(r.raw)),
            'Swedish decimal comma in the table', JSON.stringify(sv));
        check(await page.locator('input[name=from]').inputValue() === from,
            'the period is in the form and the URL', page.url());
        await page.goto(`${url}/app/journey?from=${from}&to=${to}` +
            `&where=${encodeURIComponent(where)}&lang=en`);
        check(await page.locator('html').getAttribute('lang') === 'en',
            '?lang=en gives English', await page.locator('html').getAttribute('lang'));
        compare(await stageTable(page, false), apiWhere, `${from}..${to} where ${where}`);
        const desc = await page.locator('main svg[role=img] > desc').textContent();
        check(/NPS by stage/.test(desc), "the map's own labels are English", desc);
        await axe(page, 'the journey map (en)');
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${url}/app/journey`);
        const wide = await page.evaluate(() =>
            document.documentElement.scrollWidth <= window.innerWidth + 1);
        check(wide, 'at 390 px the page does not scroll sideways (the map scrolls in its box)');
        await axe(page, 'the journey map at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });

        // several journeys: a list of links, the current one marked
        await page.goto(`${url}/app/journey`);
        const links = page.locator('main nav a[href*="journey="]');
        check(await links.count() === 2 &&
            await page.locator('main nav a[aria-current=page]').innerText() === 'Hyresgästens resa',
            'two journeys, as links; the first shown and marked current',
            (await links.allInnerTexts()).join(', '));
        await Promise.all([page.waitForNavigation(),
            page.locator('main nav a', { hasText: 'Flytt inom beståndet' }).click()]);
        check(new URL(page.url()).searchParams.get('journey') === 'flytt' &&
            /Flytt inom beståndet/.test(await page.locator('h1').innerText()) &&
            await page.locator('main svg[role=img]').count() === 1,
            "the link opens the second journey's map", page.url());
        const flytt = await stageTable(page, true);
        check(flytt && flytt.flytt_anmalan && flytt.flytt_anmalan.n === 0 &&
            Number.isNaN(flytt.flytt_anmalan.nps),
            'a stage without answers reads n 0 and no value', JSON.stringify(flytt));
        await axe(page, "the second journey's map");
        ses.expect404 = true;
        let r = await page.goto(`${url}/app/journey?journey=nosuch`);
        ses.expect404 = false;
        check(r.status() === 404, 'an unknown journey is not found', String(r.status()));
        await ctx.close();

        // ---- a touchpoint owner: their touchpoint only ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app/journey');
        const tps = await page.evaluate(() => {
            const t = [...document.querySelectorAll('table')].find((x) =>
                x.caption && x.caption.textContent.trim() === 'Kontaktpunkter');
            return t ? [...t.tBodies[0].rows].map((row) => row.cells[0].textContent.trim()) : null;
        });
        check(tps && tps.length === 1 && tps[0] === 'reparation',
            "the owner's map holds their touchpoint only", JSON.stringify(tps));
        const boxes = await page.locator('main svg g.touchpoint').count();
        check(boxes === 1, `one touchpoint drawn for the owner (${boxes})`);
        check(await page.locator('main nav a[href*="journey="]').count() === 0,
            "the owner is not offered the journey without their touchpoints");
        check(/dina kontaktpunkter/.test(await page.locator('main').innerText()),
            'the page tells the owner the figures are restricted');
        await axe(page, "the owner's journey map");
        ses.expect404 = true;
        r = await page.goto(`${url}/app/journey?journey=flytt`);
        ses.expect404 = false;
        check(r.status() === 404, "another team's journey is not found for the owner",
            String(r.status()));
        await ctx.close();

        check(ses.outside.length === 0, 'no request left the server', ses.outside.join('\n'));
        check(ses.errors.length === 0, 'no console, CSP or page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser session ran to its end', e.stack || String(e));
    } finally {
        await browser.close();
    }
}

main();

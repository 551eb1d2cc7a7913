// The stories explorer in headless Chromium (tests/browser/app_stories.sh
// runs it): as the analyst, /app/stories with a period and by=segment, its
// figures against GET /api/analyses/patterns for the same options, a
// corner's link and its stories against GET /api/analyses/verbatims, a
// cell of the plot (clicked with the pointer) and a dyad's bin against the
// API's histogram, the CSV, axe-core (WCAG 2.1 A and AA) in Swedish,
// English and at 390 px; as the owner of kundservice_tel, the figures of
// their touchpoint only (the API's for them); as the owner of reparation,
// where no triad was answered, a clear message. Screenshots at 1280x800
// and 390x844 when SHOTS (a directory) is given.
//   node app_stories_e2e.js URL CHROMIUM [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app_stories.sh turns into TAP.
'use strict';
const { emit, ok, no, check, axe, signIn, shoot, session } = require('./app_lib');

const FROM = '2026-10-01';
const TO = '2026-10-31';
const CORNERS = 'fix,know,reassure';

// A number as the page writes it ("−0,354" in Swedish) as a JS number.
function num(s) {
    return Number(String(s).trim().replace('\u2212', '-').replace(',', '.')
        .replace(/[\u202f\u00a0 ]/g, ''));
}

// The first number of a cell ("0,354 [0,165; 0,581]" -> 0.354).
function first(s) {
    const m = String(s).match(/[\u2212-]?[\d\u202f]+(?:[.,]\d+)?/);
    return m ? num(m[0]) : NaN;
}

// The count a region's line or heading gives ("...: 12 svar (3,4 %)").
function countOf(s) {
    const m = String(s).match(/:\s*([\d\u202f,]+)\s+(svar|answers)/);
    return m ? num(m[1].replace(/[\u202f,]/g, '')) : NaN;
}

async function api(page, url, path) {
    const r = await page.request.get(url + path);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status(), body };
}

// The rows of the result table whose caption matches re: arrays of cell
// texts (the row's header first).
async function tableRows(page, re) {
    return page.locator('main table.result').evaluateAll((ts, src) => {
        const rx = new RegExp(src);
        const t = ts.find((x) => rx.test(x.caption ? x.caption.textContent : ''));
        if (!t) return [];
        return [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent));
    }, re.source);
}

async function main() {
    const [url, exe, shots] = process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    const filters = `from=${FROM}&to=${TO}`;
    try {
        // ---- the analyst, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/stories');
        check(await page.locator('h1').count() === 1, 'one h1 on the stories page');
        const qs = await page.locator('nav.questions a').allInnerTexts();
        check(qs.includes('why_contact') && qs.includes('settled'),
            'the triad and the dyad are offered', qs.join(' '));
        check(await page.locator('nav.questions a[aria-current=page]').innerText() ===
            'why_contact', 'the first triad is shown by default');
        check(await page.locator('figure.chart-ternary svg[role=img] title').count() === 1 &&
            await page.locator('figure.chart-ternary svg[role=img] desc').count() === 1,
            'the ternary plot is an img with a title and a description');

        // the figures against the API's, for a period and by segment
        const opts = `triad=why_contact&by=segment&corners=${CORNERS}`;
        await page.goto(`${url}/app/stories?${opts}&${filters}`);
        const p = await api(page, url, `/api/analyses/patterns?${opts}&${filters}`);
        check(p.status === 200 && p.body && p.body.answers > 30,
            `the API's pattern for ${FROM}..${TO}: ${p.body && p.body.answers} answers`,
            JSON.stringify(p.body).slice(0, 300));
        const centers = await tableRows(page, /Compositional mean|Kompositionellt medelvärde/);
        const api0 = p.body.centers[0];
        check(centers.length === p.body.centers.length && num(centers[0][1]) === api0.n,
            `the compositional means: ${centers.length} rows, n ${api0.n} as the API's`,
            JSON.stringify(centers.slice(0, 2)));
        let same = centers.length > 1;
        const diffs = [];
        for (let r = 0; r < centers.length && r < p.body.centers.length; r++)
            for (let k = 1; k <= 3; k++) {
                const want = p.body.centers[r][`part${k}`].value;
                const got = first(centers[r][k + 1]);
                if (!(Math.abs(got - want) < 0.0006)) {
                    same = false;
                    diffs.push(`${centers[r][0]} part${k}: page ${got}, API ${want}`);
                }
            }
        check(same, 'every group\'s mean of every corner is the API\'s', diffs.join('\n'));
        check(/\[\d,\d+; \d,\d+\]/.test(centers[0][2]),
            'with its 95% region in Swedish ("[lo; hi]", decimal comma)', centers[0][2]);
        const near = await tableRows(page, /near each corner|nära varje hörn/);
        check(near.length && Math.abs(first(near[0][3]) - p.body.near[0].part2_pct.value) < 0.051,
            'the share near "know" is the API\'s', `${near[0] && near[0][3]} vs ${p.body.near[0].part2_pct.value}`);
        check(await page.locator('figure.chart-ternary circle.mean').count() ===
            p.body.centers.length, 'each group\'s mean is drawn');
        await axe(page, 'the stories (sv)');
        // the screenshots show the plot, the heart of the page
        await page.evaluate(() => document.getElementById('h-plot').scrollIntoView());
        await shoot(page, shots, 'stories');
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the stories at 390 px');
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        check(sw <= 390, `nothing wider than the phone (${sw} px)`);
        await page.setViewportSize({ width: 1280, height: 800 });

        // a corner's link: its stories are the API's verbatims
        const corner = page.locator('nav.regions a[href*="region=corner-2"]');
        const line = await page.locator('nav.regions li', { has: page.locator('a[href*="region=corner-2"]') }).innerText();
        await Promise.all([page.waitForNavigation(), corner.click()]);
        const u = new URL(page.url());
        check(u.searchParams.get('region') === 'corner-2' && u.searchParams.get('from') === FROM &&
            u.searchParams.get('by') === 'segment' && u.searchParams.get('corners') === CORNERS,
            'the corner\'s link keeps the filters, the group and the corners', page.url());
        const nNear = Math.round(p.body.near[0].part2_pct.value * p.body.answers / 100);
        check(countOf(line) === nNear && countOf(await page.locator('.region-head').innerText()) === nNear,
            `the region holds the API's ${nNear} answers near "know"`, line);
        const shownTexts = await page.locator('li.story blockquote').allInnerTexts();
        const v = await api(page, url,
            `/api/analyses/verbatims?triad=why_contact&corner=2&min=0.6&${filters}`);
        const apiTexts = v.body ? v.body.comments.map((c) => c.text) : [];
        check(shownTexts.length > 0 && shownTexts.length === apiTexts.length &&
            shownTexts.every((t, i) => t.trim() === apiTexts[i].trim()),
            `its ${shownTexts.length} stories are the API's verbatims, newest first`,
            `page: ${shownTexts.slice(0, 3).join(' | ')}\nAPI: ${apiTexts.slice(0, 3).join(' | ')}`);
        const pos = await page.locator('li.story .pos').allInnerTexts();
        check(pos.length && pos.every((s) => { const m = s.match(/know (\d,\d+)/); return m && num(m[1]) >= 0.6; }),
            'each story shows its position, know >= 0,6', pos.slice(0, 3).join(' | '));
        check(await page.locator('figure.chart-ternary polygon.near.sel').count() === 1,
            'the selected corner is marked in the plot');
        await axe(page, 'a corner\'s stories (sv)');

        // a cell clicked in the plot: its count is the API's cell
        await page.goto(`${url}/app/stories?${opts}&${filters}`);
        const hit = page.locator('svg.plot-hit a').first();
        await Promise.all([page.waitForNavigation(), hit.click({ force: true })]);
        const cell = (new URL(page.url()).searchParams.get('region') || '')
            .match(/^cell-(\d+)-(\d+)-(up|down)$/);
        check(cell, 'a cell of the plot is a link to its region', page.url());
        if (cell) {
            const c = p.body.cells.find((x) => x.i === +cell[1] && x.j === +cell[2] &&
                x.orientation === cell[3]);
            const got = countOf(await page.locator('.region-head').innerText());
            check(c && got === c.count, `the cell's ${got} answers are the API's histogram's`,
                JSON.stringify(c));
            check(await page.locator('figure.chart-ternary polygon.cell.sel').count() === 1,
                'the selected cell is marked');
        }

        // the CSV
        const csvLink = page.locator('main p.exports a');
        check(await csvLink.count() === 1 && /format=csv/.test(await csvLink.getAttribute('href')),
            'the page links its CSV');
        const r = await page.request.get(`${url}/app/stories?${opts}&${filters}&format=csv`);
        const body = await r.text();
        check(r.status() === 200 && /^text\/csv/.test(r.headers()['content-type']) &&
            /^attachment; filename="patterns-why_contact\.csv"/.test(r.headers()['content-disposition'] || '') &&
            /^group,n,part1/.test(body) && body.includes(`,${api0.n},`),
            '?format=csv downloads the pattern as CSV', `${r.status()}\n${body.slice(0, 200)}`);

        // the dyad: the bins and the mean
        await page.goto(`${url}/app/stories?dyad=settled&${filters}`);
        const d = await api(page, url, `/api/analyses/patterns?dyad=settled&${filters}`);
        check(await page.locator('figure.chart-dyad svg[role=img]').count() === 1,
            'the dyad is a plot with its description');
        const means = await tableRows(page, /Mean position|Medelposition/);
        check(d.body && means.length && Math.abs(first(means[0][2]) - d.body.means[0].mean.value) < 0.0006,
            `the dyad's mean ${means[0] && means[0][2]} is the API's`,
            JSON.stringify(d.body && d.body.means[0]));
        const bin = page.locator('nav.regions a').first();
        await Promise.all([page.waitForNavigation(), bin.click()]);
        const k = +(new URL(page.url()).searchParams.get('region') || '').replace('bin-', '');
        check(d.body && countOf(await page.locator('.region-head').innerText()) === d.body.bins[k].count,
            `a bin's answers are the API's (${d.body && d.body.bins[k].count})`);
        check(await page.locator('li.story').count() >= 1, 'and its stories are listed');

        // English
        await page.goto(`${url}/app/stories?lang=en&${opts}&${filters}&region=corner-1`);
        check(await page.locator('html').getAttribute('lang') === 'en', '?lang=en gives English');
        const en = await tableRows(page, /Compositional mean|Kompositionellt medelvärde/);
        check(en.length && /\[\d\.\d+, \d\.\d+\]/.test(en[0][2]),
            'English numbers: "[lo, hi]" with a decimal point', en[0] && en[0][2]);
        const enHref = await page.locator('nav.regions a').first().getAttribute('href');
        check(/lang=en/.test(enHref) && /from=/.test(enHref), 'the region links keep the language and the filters', enHref);
        await axe(page, 'the stories (en)');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the stories (en) at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });
        await ctx.close();

        // ---- the owner of kundservice_tel: their answers only ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'ks', 'ks-pass-123', '/app/stories');
        await page.goto(`${url}/app/stories?${opts}&${filters}&region=corner-1`);
        const o = await api(page, url, `/api/analyses/patterns?${opts}&${filters}`);
        const oc = await tableRows(page, /Compositional mean|Kompositionellt medelvärde/);
        check(o.status === 200 && oc.length && num(oc[0][1]) === o.body.centers[0].n &&
            Math.abs(first(oc[0][2]) - o.body.centers[0].part1.value) < 0.0006,
            `the owner of kundservice_tel: n ${oc[0] && oc[0][1]} and the means are the API's for them`);
        const tps = await page.locator('li.story .tp').allInnerTexts();
        check(tps.length && tps.every((t) => t === tps[0]),
            `their stories are at their touchpoint (${tps[0]})`, tps.join(' | '));
        await ctx.close();

        // ---- the owner of reparation: nobody answered the triad there ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app/stories');
        const o2 = await api(page, url, '/api/analyses/patterns?triad=why_contact');
        check(await page.locator('p.no-data').count() === 1 &&
            await page.locator('figure svg').count() === 0 && o2.status === 400,
            'the owner of reparation sees no answers, as the API says',
            `${await page.locator('main').innerText()}\nAPI ${o2.status}`);
        await axe(page, 'the stories without answers');
        await ctx.close();

        check(ses.outside.length === 0, 'no request left the server', ses.outside.join('\n'));
        check(ses.errors.length === 0, 'no page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser session ran to its end', e.stack || String(e));
    } finally {
        await browser.close();
    }
}

main();

// The personas page in headless Chromium (tests/browser/app_personas.sh
// runs it): as the analyst, /app/personas with the features chosen from
// the data, its cards against GET /api/analyses/personas for the same
// features and period (k, stability, and per persona customers, share,
// NPS with CI and n), the form's filter and k kept in the URL and again
// equal to the API, the CSV link and its figures, English numbers, bad
// options as errors beside the form, axe-core (WCAG 2.1 A and AA) in
// Swedish, English and at 390 px; as the owner of OWNED, personas over
// those touchpoints only: equal to the admin's API with
// where=touchpoint=OWNED and to the owner's own API, fewer customers
// than the analyst's, event features refused and another touchpoint
// empty. Screenshots at 1280x800 and 390x844 when SHOTS is given.
//   node app_personas_e2e.js URL CHROMIUM OWNED [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app_personas.sh turns into TAP.
'use strict';
const { emit, ok, no, check, axe, signIn, shoot, session } = require('./app_lib');

// A number as the page writes it ("−12,3", "6 435") as a JS number.
function num(s) {
    return Number(String(s).trim().replace(/\u2212/g, '-').replace(',', '.')
        .replace(/[\u202f\u00a0 ]/g, ''));
}

// The last two numbers of a CI's text ("95 % KI +2,0; +3,4").
function ciOf(s) {
    const m = String(s).match(/[\u2212+-]?\d+(?:[.,]\d+)?/g) || [];
    return m.slice(-2).map(num);
}

// The cards as numbers: [{name, customers, share, shareCi, nps, npsCi, n}].
async function cards(page) {
    return page.locator('main article.persona').evaluateAll((as) => as.map((a) => ({
        name: a.querySelector('h3').textContent,
        values: [...a.querySelectorAll('.persona-figs .value')].map((e) => e.textContent),
        cis: [...a.querySelectorAll('.persona-figs .ci')].map((e) => e.textContent),
        n: (a.querySelector('.persona-figs .n') || {}).textContent || '',
    }))).then((v) => v.map((c) => ({
        name: c.name,
        customers: num(c.values[0]),
        share: ciOf(c.cis[0].replace(/,\s*95.*$/, ''))[1],
        shareCi: ciOf(c.cis[0]),
        nps: num(c.values[1]),
        npsCi: ciOf(c.cis[1]),
        n: num(c.n.replace(/^n\s*=\s*/, '').replace('*', '')),
    })));
}

const close = (a, b, tol) => Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= tol;

// The cards against the API's result for the same options.
function same(shown, api, what) {
    const d = [];
    if (!api || !Array.isArray(api.personas)) {
        no(`${what}: the API answered`, JSON.stringify(api).slice(0, 400));
        return;
    }
    if (shown.length !== api.personas.length)
        d.push(`k: page ${shown.length}, API ${api.personas.length}`);
    api.personas.forEach((p, i) => {
        const s = shown[i] || {};
        if (s.customers !== p.customers) d.push(`${p.persona} customers ${s.customers} vs ${p.customers}`);
        if (!close(s.nps, p.nps.value, 0.051)) d.push(`${p.persona} NPS ${s.nps} vs ${p.nps.value}`);
        if (s.n !== p.nps.n) d.push(`${p.persona} NPS n ${s.n} vs ${p.nps.n}`);
        if (!(s.npsCi && close(s.npsCi[0], p.nps.ci95[0], 0.051) && close(s.npsCi[1], p.nps.ci95[1], 0.051)))
            d.push(`${p.persona} NPS CI ${s.npsCi} vs ${p.nps.ci95}`);
        const share = 100 * p.customers / api.customers;
        if (!close(share, p.share_pct, 1e-6) || !(s.shareCi && s.shareCi[0] < share && share < s.shareCi[1]))
            d.push(`${p.persona} share CI ${s.shareCi} around ${p.share_pct}`);
    });
    check(d.length === 0, `${what}: ${shown.length} personas, each with the API's customers, NPS, CI and n`,
        d.join('\n'));
}

async function apiGet(page, url, q) {
    const r = await page.request.get(`${url}/api/analyses/personas?${q}`);
    try { return await r.json(); } catch (e) { return { status: r.status() }; }
}

async function main() {
    const [url, exe, owned, shots] = process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    try {
        // ---- the analyst, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/personas');
        check(await page.locator('h1').count() === 1, 'one h1');
        const features = (await page.locator('#features-used').innerText()).trim();
        const from = await page.locator('#persona-period').getAttribute('data-from');
        check(/customer\./.test(features) && /(^|,)nps$/.test(features) &&
            /valda ur data/.test(await page.locator('main').innerText()),
            `the page says which features it chose from the data: ${features}`, features);
        check(/tenancy_start<\/code>: för många/.test(await page.content()),
            'and why it left out an attribute (tenancy_start: a date, too many values)');
        let shown = await cards(page);
        check(shown.length >= 2 && shown.every((c) => /^P\d/.test(c.name)),
            `${shown.length} persona cards, each named`, shown.map((c) => c.name).join(' | '));
        let api = await apiGet(page, url, `features=${encodeURIComponent(features)}` +
            (from ? `&from=${from}` : ''));
        same(shown, api, 'the default view');
        const stab = num((await page.locator('main dl.meta dd').filter({ hasText: 'frön' }).innerText())
            .replace(/\s*\(.*$/, ''));
        check(close(stab, api.ari_seeds, 0.0006), `its stability ${stab} is the API's ARI`, `${stab} vs ${api.ari_seeds}`);
        check(await page.locator('figure svg[role=img]').count() === 1 &&
            await page.locator('figure details table').count() === 1,
            'NPS by persona is a chart with a table behind it');
        check(await page.locator('main table.result caption').count() >= 2,
            'the personas and the choice of k are captioned tables');
        const txt = await page.locator('main table.result').first().innerText();
        check(/\[[\u2212+-]?\d+,\d; [\u2212+-]?\d+,\d\]/.test(txt),
            'Swedish figures: decimal comma, CI as [lo; hi]', txt.slice(0, 300));
        check(await page.locator('main article.persona blockquote').count() >= 1,
            'the cards quote their customers');
        await axe(page, 'the personas (sv)');
        await shoot(page, shots, 'personas');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the personas at 390 px');
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        check(sw <= 390, `no sideways scrolling at 390 px (${sw})`, String(sw));
        await page.setViewportSize({ width: 1280, height: 800 });

        // the form: a filter and k, kept in the URL
        await page.fill('#where', 'channel=app');
        await page.selectOption('#k', '3');
        await Promise.all([page.waitForNavigation(), page.click('form.persona-form button[type=submit]')]);
        let u = new URL(page.url());
        check(u.searchParams.get('where') === 'channel=app' && u.searchParams.get('k') === '3',
            'the form sends the filter and k in the URL', page.url());
        check(await page.locator('#where').inputValue() === 'channel=app' &&
            await page.locator('#k option[selected]').getAttribute('value') === '3',
            'and shows them again');
        shown = await cards(page);
        const f2 = (await page.locator('#features-used').innerText()).trim();
        const from2 = await page.locator('#persona-period').getAttribute('data-from');
        api = await apiGet(page, url, `features=${encodeURIComponent(f2)}&k=3&where=channel%3Dapp` +
            (from2 ? `&from=${from2}` : ''));
        same(shown, api, 'with where=channel=app and k=3');

        // CSV: the link keeps the options, the file has the cards' figures
        const href = await page.locator('main .exports a').getAttribute('href');
        check(/format=csv/.test(href) && /k=3/.test(href) && /where=channel%3Dapp/.test(href),
            'the CSV link keeps the filter and k', href);
        const r = await page.request.get(url + href);
        const body = await r.text();
        const lines = body.split('\n');
        const p1 = (lines[1] || '').split(',');
        check(r.status() === 200 && /^text\/csv/.test(r.headers()['content-type']) &&
            /^persona,customers,share_pct,/.test(lines[0]) && p1[0] === 'P1' &&
            Number(p1[1]) === shown[0].customers,
            `?format=csv downloads the personas (P1: ${p1[1]} customers, as on the page)`,
            `${r.status()} ${r.headers()['content-type']}\n${body.slice(0, 300)}`);

        // English
        await page.goto(`${url}/app/personas?lang=en&k=3&where=channel%3Dapp`);
        check(await page.locator('html').getAttribute('lang') === 'en', '?lang=en gives English');
        const en = await page.locator('main table.result').first().innerText();
        check(/\[[\u2212+-]?\d+\.\d, [\u2212+-]?\d+\.\d\]/.test(en) && !/\d,\d; /.test(en),
            'English figures: decimal point, CI as [lo, hi]', en.slice(0, 300));
        same(await cards(page), api, 'the same view in English');
        await axe(page, 'the personas (en)');

        // bad options: an error beside the form, never a crash (the
        // browser logs each 400 as an error: those are the test's own)
        const logged = ses.errors.length;
        let res = await page.goto(`${url}/app/personas?k=99`);
        check(res.status() === 400 && /k must be/.test(await page.locator('main').innerText()),
            '?k=99 is refused (400)', String(res.status()));
        res = await page.goto(`${url}/app/personas?features=customer.no_such,nps`);
        check(res.status() === 400 && await page.locator('[role=alert]').count() === 1 &&
            /no_such/.test(await page.locator('[role=alert]').innerText()) &&
            await page.locator('form.persona-form').count() === 1 &&
            await page.locator('article.persona').count() === 0,
            'an unknown attribute is an error shown beside the form (400)', String(res.status()));
        await axe(page, 'the error');
        const all = api;
        const admin = { ctx, page };

        // ---- the owner of OWNED ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app/personas');
        await page.goto(`${url}/app/personas?k=2&where=channel%3Dapp`);
        check(/dina kontaktpunkter/.test(await page.locator('main dl.meta').innerText()),
            'the owner is told the personas cover their touchpoints');
        shown = await cards(page);
        const f3 = (await page.locator('#features-used').innerText()).trim();
        const from3 = await page.locator('#persona-period').getAttribute('data-from');
        const q = `features=${encodeURIComponent(f3)}&k=2` + (from3 ? `&from=${from3}` : '');
        same(shown, await apiGet(page, url, `${q}&where=channel%3Dapp`), "the owner's page and the owner's API");
        await axe(page, "the owner's personas");
        // the admin's API over the owner's touchpoints gives the same
        const restricted = await apiGet(admin.page, url,
            `${q}&where=channel%3Dapp&where=touchpoint%3D${encodeURIComponent(owned)}`);
        same(shown, restricted, `the owner's page and the admin's API with where=touchpoint=${owned}`);
        const ownerN = shown.reduce((s, c) => s + c.customers, 0);
        check(ownerN > 0 && ownerN < all.customers,
            `the owner's personas count ${ownerN} customers, fewer than the analyst's ${all.customers}`);
        await admin.ctx.close();
        res = await page.goto(`${url}/app/personas?features=channels:fault_report,nps`);
        check(res.status() === 400 && /events/.test(await page.locator('[role=alert]').innerText()),
            "event features are refused to an owner (they follow customers everywhere)",
            String(res.status()));
        res = await page.goto(`${url}/app/personas?k=2&where=touchpoint%3Dkundservice_tel`);
        check(res.status() === 400 && await page.locator('article.persona').count() === 0,
            "another team's touchpoint gives the owner no personas", String(res.status()));
        res = await page.request.get(`${url}/app/personas?k=2&where=touchpoint%3Dkundservice_tel&format=csv`);
        check(res.status() === 400, 'nor a CSV', String(res.status()));
        await ctx.close();
        const mine = ses.errors.splice(logged).filter((e) => !/status of 400/.test(e));
        ses.errors.push(...mine);

        check(ses.outside.length === 0, 'no request left the server', ses.outside.join('\n'));
        check(ses.errors.length === 0, 'no page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser session ran to its end', e.stack || String(e));
    } finally {
        await browser.close();
    }
}

main();

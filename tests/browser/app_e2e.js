// The web app in headless Chromium (tests/browser/app.sh runs it):
// signs in as an analyst and as two touchpoint owners, opens the
// overview and the cases, checks what each may and may not see, acts on
// a case through its form, checks the page's headline NPS against the
// API's for the same filters, runs axe-core (WCAG 2.1 A and AA) on every
// page in Swedish and English, and keeps screenshots at 1280x800 and
// 390x844 when SHOTS (a directory) is given. The overview's significant
// changes (November's planted drop) and rising themes are checked
// against the API's compare and themes (MONTH_D: 2026-11 - 2026-10,
// HEAD_D: 2026-11 against the 30 days before, SHARE: the top theme's
// share in 2026-11), its Swedish stage headers, the date field that
// submits the filters, and the live update (?refresh=2).
//   node app_e2e.js URL CHROMIUM CASE_ID API_NPS FROM TO MONTH_D HEAD_D
//                   SHARE [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app.sh turns into TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const { emit, ok, no, check, axe, signIn, shoot, session } = require('./app_lib');

// A number as the page writes it ("−12,3" in Swedish) as a JS number.
function num(s) {
    return Number(String(s).trim().replace('\u2212', '-').replace(',', '.')
        .replace(/[\u202f\u00a0 ]/g, ''));
}

// The first number of a text as the page writes it.
function first(s) {
    const m = String(s).match(/[+\u2212-]?\d[\d\u202f,.]*/);
    return m ? num(m[0].replace(/^\+/, '')) : NaN;
}

// The overview's significant changes, rising themes, Swedish headers,
// date field and live update, as the analyst.
async function overviewMarks(page, url, monthD, headD, share, shots) {
    await page.goto(url + '/app');
    const row = page.locator('#trend-nps tr', { hasText: '2026-11' });
    const cell = row.locator('td').nth(3);
    check(await page.locator('#trend-nps path.sig.down').count() === 1 &&
        await cell.locator('.sig').count() === 1,
        'November\'s drop is marked on the trend and in its table',
        await page.locator('#trend-nps').innerHTML());
    // the table is in a closed <details>: its text, not what is shown
    const cellText = await cell.textContent();
    const shownD = first(cellText);
    check(Math.abs(shownD - Number(monthD)) < 0.051,
        `its change ${shownD} is the API's compare ${Number(monthD).toFixed(1)}`,
        `page ${shownD}, API ${monthD}`);
    check(/\[\u2212?\d+,\d; \u2212?\d+,\d\]/.test(cellText),
        'with its CI in Swedish', cellText);
    check((await page.locator('.sig-months').innerText()).includes('2026-11'),
        'the marked month is said in words under the chart',
        await page.locator('.sig-months').innerText());
    check(await row.locator('xpath=preceding-sibling::tr').locator('.sig').count() === 0,
        'the months before it are not marked');
    // the Swedish headers of the stage table (the result model's)
    const heads = await page.locator('#h-stages ~ .table-wrap th[scope=col]').allInnerTexts();
    check(heads.includes('steg') && heads.some((h) => h.startsWith('CSAT medel')) &&
        !heads.some((h) => /mean|^stage$/.test(h)),
        'the stage table has Swedish headers', heads.join(' | '));

    // the period against the 30 days before; the rising theme
    await page.goto(`${url}/app?from=2026-11-01&to=2026-11-30`);
    const change = page.locator('#overview-change');
    const headShown = first(await change.locator('.value').innerText());
    check(Math.abs(headShown - Number(headD)) < 0.051 &&
        await change.locator('strong.sig').count() === 1 &&
        (await change.innerText()).includes('2026-10-02'),
        `the headline's change ${headShown} against 2026-10-02..2026-10-31 is the API's ${Number(headD).toFixed(1)}, marked`,
        await change.innerText());
    const theme = page.locator('a[data-theme="waiting"]');
    check(await theme.count() === 1, 'the planted theme "waiting" is rising',
        await page.locator('#h-emerging').locator('..').innerText());
    const trow = page.locator('table.risers tr', { has: theme });
    const tshare = first(await trow.locator('td').nth(1).innerText());
    check(Math.abs(tshare - Number(share)) < 0.051 &&
        await trow.locator('td.change .sig').count() === 1,
        `its share ${tshare}% is the API's ${share}%, its rise marked`,
        await trow.innerText());
    const thref = await theme.getAttribute('href');
    check(thref.startsWith('/app/touchpoints?') && thref.includes('where=theme%3Dwaiting') &&
        thref.includes('from=2026-11-01'),
        'the theme links to the touchpoints filtered to it', thref);
    const tp = await page.request.get(url + thref);
    check(tp.status() === 200, 'and that page answers', String(tp.status()));
    await axe(page, 'the overview with its marks (sv)');
    await page.setViewportSize({ width: 390, height: 844 });
    await axe(page, 'the overview at 390x844');
    await page.setViewportSize({ width: 1280, height: 800 });
    const csv = await (await page.request.get(`${url}/app?from=2026-11-01&to=2026-11-30&format=csv`)).text();
    check(/\nwaiting,60,60,100\.0000,/.test(csv) && /\n2026-11-01\.\.2026-11-30,/.test(csv),
        'the CSV holds the change and the rising theme', csv.slice(-600));
    await page.goto(`${url}/app?from=2026-11-01&to=2026-11-30&lang=en`);
    const enHeads = await page.locator('#h-stages ~ .table-wrap th[scope=col]').allInnerTexts();
    check(enHeads.includes('stage'), 'in English the stage table keeps its headers',
        enHeads.join(' | '));
    await axe(page, 'the overview with its marks (en)');
    await shoot(page, shots, 'overview-marks');

    // a date changed submits the filters (web/app.js)
    await page.goto(`${url}/app?to=2026-11-30`);
    check(await page.locator('#overview-auto').isVisible(),
        'with JavaScript, the hint says a date change updates the page');
    await Promise.all([page.waitForNavigation(),
        page.fill('#from', '2026-10-01')]);
    check(new URL(page.url()).searchParams.get('from') === '2026-10-01',
        'changing a date submits the filters', page.url());

    // live: a new response changes the headline without a reload
    await page.goto(`${url}/app?refresh=2`);
    const head = page.locator('#overview-head');
    check(await head.getAttribute('aria-live') === 'polite',
        'the headline is a polite live region');
    const n0 = Number(await head.getAttribute('data-n'));
    const nps0 = await page.locator('.cards .card .n').first().innerText();
    await page.evaluate(() => { document.getElementById('overview-head').dataset.mine = '1'; });
    const r = await page.request.post(url + '/api/public/surveys/repair/responses', {
        data: { touchpoint: 'reparation', client_token: 'live-' + Date.now(),
            answers: { nps: 10 } },
    });
    check(r.status() === 201, 'a new response arrives', String(r.status()));
    let n1 = n0;
    for (let i = 0; i < 40 && n1 === n0; i++) {
        await page.waitForTimeout(500);
        n1 = Number(await head.getAttribute('data-n'));
    }
    const nps1 = await page.locator('.cards .card .n').first().innerText();
    check(n1 === n0 + 1 && nps1 !== nps0 && !page.url().includes('#') &&
        await head.getAttribute('data-mine') === '1',
        `the live update replaced the headline in place (n ${n0} -> ${n1})`,
        `${nps0} -> ${nps1}`);
}

async function main() {
    const [url, exe, caseId, apiNps, from, to, monthD, headD, share, shots] =
        process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    try {
        // ---- the analyst, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await page.goto(url + '/app/login');
        await axe(page, 'the sign-in page');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app');
        check(await page.locator('html').getAttribute('lang') === 'sv',
            'Swedish by Accept-Language', await page.locator('html').getAttribute('lang'));
        await axe(page, 'the overview (sv)');
        await shoot(page, shots, 'overview');
        // the same filters as the API call app.sh made
        await page.goto(`${url}/app?from=${from}&to=${to}`);
        const card = page.locator('.cards .card').first();
        const shown = num(await card.locator('.value').innerText());
        check(Math.abs(shown - Number(apiNps)) < 0.051,
            `the page's headline NPS ${shown} is the API's ${Number(apiNps).toFixed(1)}`,
            `page ${shown}, API ${apiNps}`);
        check(/\d,\d/.test(await card.locator('.value').innerText()),
            'Swedish decimal comma', await card.locator('.value').innerText());
        check(await page.locator('figure svg[role=img]').count() >= 1 &&
            await page.locator('figure details table').count() >= 1,
            'the trend is a chart with a table behind it');
        check(new URL(page.url()).searchParams.get('from') === from,
            'the filters are in the URL', page.url());
        // the view as CSV, with the same filters
        const csvHref = await page.locator('a[download]').getAttribute('href');
        const csv = await page.request.get(url + csvHref);
        const csvText = await csv.text();
        check(csv.status() === 200 && /text\/csv/.test(csv.headers()['content-type']) &&
            csvHref.includes(`from=${from}`) && csvText.startsWith('nps_n,'),
            'the view exports as CSV with its filters', `${csv.status()} ${csvHref}\n${csvText.slice(0, 300)}`);
        // and as PDF: the print stylesheet, Chromium's PDF, its text
        const headline = (await card.locator('.value').innerText()).trim();
        await page.emulateMedia({ media: 'print' });
        const pdf = path.join(require('os').tmpdir(), `resonans-overview-${process.pid}.pdf`);
        await page.pdf({ path: pdf, format: 'A4' });
        await page.emulateMedia({ media: 'screen' });
        let pdfText = '';
        try {
            pdfText = require('child_process').execFileSync('pdftotext', ['-layout', pdf, '-'],
                { encoding: 'utf8' });
        } catch (e) {
            emit('#', 'pdftotext not available: ' + e.message);
        }
        if (pdfText) {
            check(pdfText.includes('NPS') && pdfText.includes(headline),
                `the overview as PDF holds its headline figures (NPS ${headline})`,
                pdfText.slice(0, 500));
            check(!/Logga ut|Log out|Använd filter/.test(pdfText),
                'the PDF leaves out the navigation and the forms', pdfText.slice(0, 500));
        }
        fs.rmSync(pdf, { force: true });
        await overviewMarks(page, url, monthD, headD, share, shots);
        await page.goto(url + '/app/cases');
        check(await page.locator(`a[href^="/app/cases/${caseId}"]`).count() === 1,
            `the analyst sees case #${caseId} in the inbox`);
        await axe(page, 'the cases inbox');
        await shoot(page, shots, 'cases');
        await page.goto(`${url}/app/cases/${caseId}`);
        await axe(page, 'a case');
        await shoot(page, shots, 'case');
        await page.goto(url + '/app?lang=en');
        check(await page.locator('html').getAttribute('lang') === 'en',
            '?lang=en gives English', await page.locator('html').getAttribute('lang'));
        await axe(page, 'the overview (en)');
        // log out: the session ends
        await Promise.all([page.waitForNavigation(),
            page.locator('form[action="/app/logout"] button').click()]);
        await page.goto(url + '/app');
        check(page.url().includes('/app/login'), 'after logging out, the pages ask to sign in',
            page.url());
        await ctx.close();

        // ---- the owner of the case's touchpoint acts on it ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app/cases');
        const fsCtx = ctx;
        check(await page.locator(`a[href^="/app/cases/${caseId}"]`).count() === 1,
            `the owner sees case #${caseId}`);
        await page.goto(`${url}/app/cases/${caseId}`);
        await page.fill('#note-contact', 'Ringde kunden, ny tid bokad.');
        await Promise.all([page.waitForNavigation(),
            page.locator('form[action*="/contact"] button').click()]);
        const body = await page.locator('main').innerText();
        check(/contacted|kontaktad/i.test(body) && body.includes('Ringde kunden'),
            'the owner marks the case contacted with a note', body.slice(0, 400));
        ctx = fsCtx;

        // ---- the owner sees November's waiting at their touchpoint ----
        await page.goto(`${url}/app?from=2026-11-01&to=2026-11-30`);
        check(await page.locator('a[data-theme="waiting"]').count() === 1,
            'the owner of reparation sees "waiting" rising there');
        await ctx.close();

        // ---- the other team's owner sees nothing of it ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'ks', 'ks-pass-123', '/app/cases');
        check(await page.locator(`a[href^="/app/cases/${caseId}"]`).count() === 0,
            `the other team's owner does not see case #${caseId}`);
        ses.expect404 = true;
        const r = await page.goto(`${url}/app/cases/${caseId}`);
        ses.expect404 = false;
        check(r.status() === 404, 'and opening it is not found', String(r.status()));
        await axe(page, 'the not-found page');
        await page.goto(`${url}/app?from=2026-11-01&to=2026-11-30`);
        check(await page.locator('a[data-theme]').count() === 0 &&
            await page.locator('#overview-change').count() === 1,
            'the other owner sees no rising theme of reparation\'s in November',
            await page.locator('#h-emerging').locator('..').innerText());
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

// The web app in headless Chromium (tests/browser/app.sh runs it):
// signs in as an analyst and as two touchpoint owners, opens the
// overview and the cases, checks what each may and may not see, acts on
// a case through its form, checks the page's headline NPS against the
// API's for the same filters, runs axe-core (WCAG 2.1 A and AA) on every
// page in Swedish and English, and keeps screenshots at 1280x800 and
// 390x844 when SHOTS (a directory) is given.
//   node app_e2e.js URL CHROMIUM CASE_ID API_NPS FROM TO [SHOTS]
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

async function main() {
    const [url, exe, caseId, apiNps, from, to, shots] = process.argv.slice(2);
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
        check(await page.locator(`a[href^="/app/cases/${caseId}"]`).count() === 1,
            `the owner sees case #${caseId}`);
        await page.goto(`${url}/app/cases/${caseId}`);
        await page.fill('#note-contact', 'Ringde kunden, ny tid bokad.');
        await Promise.all([page.waitForNavigation(),
            page.locator('form[action*="/contact"] button').click()]);
        const body = await page.locator('main').innerText();
        check(/contacted|kontaktad/i.test(body) && body.includes('Ringde kunden'),
            'the owner marks the case contacted with a note', body.slice(0, 400));
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

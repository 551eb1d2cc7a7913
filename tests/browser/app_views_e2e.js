// The touchpoint pages in headless Chromium (tests/browser/app_views.sh
// runs it): as the analyst, /app/touchpoints and the link to reparation
// (filters kept), the page's NPS against the API's for the same filters,
// the submitted comment with its analysis (phone number and e-mail redacted),
// the ?theme= and ?sentiment= filters of the comments, CSV downloads of
// both pages, axe-core (WCAG 2.1 A and AA) on both pages in Swedish and
// English and at 390 px; as the owner of reparation, only reparation
// listed and another touchpoint not found. Screenshots at 1280x800 and
// 390x844 when SHOTS (a directory) is given.
//   node app_views_e2e.js URL CHROMIUM API_NPS FROM TO WORD [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app_views.sh turns into TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const { emit, ok, no, check, axe, signIn, shoot, session } = require('./app_lib');

// A number as the page writes it ("−12,3" in Swedish) as a JS number.
function num(s) {
    return Number(String(s).trim().replace('\u2212', '-').replace(',', '.')
        .replace(/[\u202f\u00a0 ]/g, ''));
}

// The touchpoint keys the page links to.
async function linkedKeys(page) {
    const hrefs = await page.locator('main a[href^="/app/touchpoints/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return [...new Set(hrefs.map((h) => new URL(h, 'http://x').pathname
        .replace('/app/touchpoints/', '')))];
}

async function main() {
    const [url, exe, apiNps, from, to, word, shots] = process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    const filters = `from=${from}&to=${to}`;
    try {
        // ---- the analyst, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/touchpoints');
        const all = await linkedKeys(page);
        check(all.length >= 5 && all.includes('reparation') &&
            all.includes('kundservice_tel'),
            `the analyst sees ${all.length} touchpoints, reparation among them`, all.join(' '));
        check(await page.locator('h1').count() === 1, 'one h1 on the list');
        check(await page.locator('figure svg[role=img]').count() === 1 &&
            await page.locator('figure details table').count() === 1,
            'NPS by touchpoint is a bar chart with a table behind it');
        check(await page.locator('table.result caption').count() >= 1,
            'the figures by touchpoint are a captioned table');
        await axe(page, 'the touchpoints (sv)');
        await shoot(page, shots, 'touchpoints');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the touchpoints at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });

        // the list with the API's filters, and its link to reparation
        await page.goto(`${url}/app/touchpoints?${filters}`);
        await Promise.all([page.waitForNavigation(),
            page.locator('main table a[href^="/app/touchpoints/reparation"]').click()]);
        const u = new URL(page.url());
        check(u.pathname === '/app/touchpoints/reparation' &&
            u.searchParams.get('from') === from && u.searchParams.get('to') === to,
            'the link leads to reparation with the filters kept', page.url());
        check(await page.locator('h1').count() === 1 &&
            /reparation/i.test(await page.locator('h1').innerText()),
            'the drill-down is titled with the touchpoint\'s name',
            await page.locator('h1').innerText());
        const shown = num(await page.locator('.cards .card .value').first().innerText());
        check(Math.abs(shown - Number(apiNps)) < 0.051,
            `the page's NPS at reparation ${shown} is the API's ${Number(apiNps).toFixed(1)}`,
            `page ${shown}, API ${apiNps}`);
        check(await page.locator('#trend-nps svg[role=img]').count() === 1,
            'NPS by month is a line chart');
        const captions = await page.locator('main caption').allInnerTexts();
        check(captions.some((c) => /segment/i.test(c)) &&
            captions.some((c) => /kanal/i.test(c)) &&
            captions.some((c) => /tema/i.test(c)),
            'tables by segment, by channel and of the themes', captions.join(' | '));
        // the comment submitted by app_views.sh, redacted
        const main = await page.locator('main').innerText();
        const art = page.locator('article.verbatim', { hasText: word });
        check(await art.count() === 1, `the submitted comment (${word}) is among the latest`,
            main.slice(-800));
        check(!/070[-\s]?123|45 67/.test(main),
            'its phone number is not on the page (redacted)', main.slice(-800));
        check(!/kalle\.k|example\.se/.test(main),
            'nor its e-mail address', main.slice(-800));
        if (await art.count() === 1)
            emit('#', 'as shown: ' + (await art.locator('blockquote').innerText()));
        if (await art.count() === 1) {
            const t = await art.innerText();
            check(/Sentiment/.test(t) && /(negativ|positiv|neutral|blandad)/.test(t),
                'the comment shows its sentiment label and score', t);
            check(/Ord som avgjorde/.test(t), 'and the words that drove it', t);
        }
        await axe(page, 'the drill-down (sv)');
        await shoot(page, shots, 'touchpoint');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the drill-down at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });

        // the comments' filters
        await page.goto(`${url}/app/touchpoints/reparation?${filters}&sentiment=negative`);
        const sents = await page.locator('article.verbatim dl.analysis dd:first-of-type')
            .allInnerTexts();
        check(sents.length >= 1 && sents.every((s) => /^negativ/.test(s)),
            `?sentiment=negative lists negative comments only (${sents.length})`,
            sents.join(' | '));
        const opt = await page.locator('#theme option').nth(1).getAttribute('value');
        if (opt) {
            await page.goto(`${url}/app/touchpoints/reparation?${filters}&theme=${encodeURIComponent(opt)}`);
            const n = await page.locator('article.verbatim').count();
            check(n >= 1, `?theme=${opt} lists its comments (${n})`);
            check(await page.locator('#theme option[selected]').getAttribute('value') === opt,
                'and the form shows the theme chosen');
        }

        // CSV of both pages
        for (const p of [`/app/touchpoints?${filters}`,
            `/app/touchpoints/reparation?${filters}`]) {
            const r = await page.request.get(`${url}${p}&format=csv`);
            const body = await r.text();
            check(r.status() === 200 &&
                /^text\/csv; charset=utf-8/.test(r.headers()['content-type']) &&
                /^attachment; filename="[\w-]+\.csv"/.test(r.headers()['content-disposition'] || '') &&
                /^(touchpoint|month),.*nps/.test(body),
                `${p.replace(/\?.*/, '')}?format=csv downloads CSV`,
                `${r.status()} ${JSON.stringify(r.headers())}\n${body.slice(0, 300)}`);
        }
        const csvLink = page.locator('main a.export');
        check(await csvLink.count() === 1 &&
            /format=csv/.test(await csvLink.getAttribute('href')),
            'the page links its CSV');

        // English
        await page.goto(`${url}/app/touchpoints?lang=en&${filters}`);
        check(await page.locator('html').getAttribute('lang') === 'en',
            '?lang=en gives English', await page.locator('html').getAttribute('lang'));
        const enHref = await page.locator('main table a[href^="/app/touchpoints/reparation"]')
            .getAttribute('href');
        check(/lang=en/.test(enHref) && /from=/.test(enHref),
            'the links keep the language and the filters', enHref);
        await axe(page, 'the touchpoints (en)');
        await page.goto(url + enHref);
        check(/Latest comments/.test(await page.locator('main').innerText()),
            'the drill-down in English');
        await axe(page, 'the drill-down (en)');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the drill-down (en) at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });

        ses.expect404 = true;
        let r = await page.goto(`${url}/app/touchpoints/no_such_place`);
        check(r.status() === 404, 'an unknown touchpoint is not found', String(r.status()));
        ses.expect404 = false;
        await ctx.close();

        // ---- the owner of reparation ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'fs', 'fs-pass-123', '/app/touchpoints');
        const mine = await linkedKeys(page);
        check(mine.length === 1 && mine[0] === 'reparation',
            'the owner of reparation sees only reparation', mine.join(' '));
        await page.goto(`${url}/app/touchpoints/reparation`);
        check(await page.locator('article.verbatim').count() >= 1,
            'and its comments');
        ses.expect404 = true;
        r = await page.goto(`${url}/app/touchpoints/kundservice_tel`);
        check(r.status() === 404, 'another team\'s touchpoint is not found',
            String(r.status()));
        r = await page.goto(`${url}/app/touchpoints/kundservice_tel?format=csv`);
        check(r.status() === 404, 'nor its CSV', String(r.status()));
        ses.expect404 = false;
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

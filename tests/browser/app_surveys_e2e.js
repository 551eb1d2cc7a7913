// The surveys pages in headless Chromium (tests/browser/app_surveys.sh
// runs it). As the admin: the list; a new survey built in the form
// (questions added, a type changed, an error shown beside its field with
// nothing saved, then saved) and compared with what the API stores for
// the same JSON; the repair survey saved unchanged through the form (the
// stored definition must not move); a question removed and one moved
// without saving; the whole definition edited as JSON (an error, then a
// save); the signed link, QR code and embed snippet against the API's;
// the new survey answered at /s/KEY and counted on the list as by the
// API; the CSV; deleting through the confirmation; axe-core in Swedish,
// English and at 390 px. As a touchpoint owner: 403 everywhere.
//   node app_surveys_e2e.js URL CHROMIUM KEY [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines,
// which app_surveys.sh turns into TAP.
'use strict';
const { emit, ok, no, check, axe, signIn, shoot, session } = require('./app_lib');

// Deep equality of two JSON values, key order ignored.
function same(a, b) {
    if (a === b) return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
        return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => same(a[k], b[k]));
}

async function apiGet(page, url, path) {
    const r = await page.request.get(url + path);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status(), body };
}

async function submit(page, selector) {
    await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]);
}

async function main() {
    const [url, exe, key, shots] = process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    const t0 = Date.now();
    const lap = (what) => emit('#', `${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    try {
        // ---- the admin, in Swedish ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/surveys');
        check(await page.locator('h1').count() === 1 &&
            await page.locator('h1').innerText() === 'Enkäter', 'the list is titled "Enkäter"');
        check(await page.locator('table.surveys a[href^="/app/surveys/repair"]').count() >= 1,
            'the list links the repair survey');
        const repairRow = await page.locator('table.surveys tr', { hasText: 'repair' }).first().innerText();
        check(/Efter reparationen/.test(repairRow) && /\b11\b/.test(repairRow),
            'with its Swedish name and its 11 questions', repairRow);
        await axe(page, 'the list (sv)');
        const csrf = await page.locator('input[name=csrf]').first().getAttribute('value');

        lap('a new survey, built in the form');
        // ---- a new survey, built in the form ----
        await submit(page, 'main a[href^="/app/surveys/new"]');
        check(new URL(page.url()).pathname === '/app/surveys/new', 'the new survey button opens the builder');
        check(await page.locator('fieldset.sf-q').count() === 1 &&
            await page.locator('#f-q0-type').inputValue() === 'nps',
            'the builder starts with an NPS question');
        await axe(page, 'the empty builder (sv)');
        await page.fill('#f-key', key);
        await page.fill('#f-name-sv', 'Testenkät');
        await page.fill('#f-name-en', 'Test survey');
        await page.fill('#f-q0-prompt-sv', 'Skulle du rekommendera oss?');
        await page.fill('#f-q0-prompt-en', 'Would you recommend us?');
        await submit(page, 'button[name=op][value=add]');
        check(await page.locator('fieldset.sf-q').count() === 2,
            '"add a question" gives a second question');
        check(await page.locator('#f-q0-prompt-sv').inputValue() === 'Skulle du rekommendera oss?' &&
            await page.locator('#f-key').inputValue() === key,
            'and keeps what was typed');
        let r = await apiGet(page, url, `/api/surveys/${key}`);
        check(r.status === 404, 'nothing is saved by adding a question', String(r.status));
        await page.fill('#f-q1-key', 'comment');
        await page.selectOption('#f-q1-type', 'text');
        await page.fill('#f-q1-prompt-sv', 'Vad kan vi göra bättre?');
        // its English prompt left out: the error below
        await submit(page, 'button[name=op][value=add]');
        await page.fill('#f-q2-key', 'kanal');
        await page.selectOption('#f-q2-type', 'choice');
        await submit(page, '#q2 button[value=refresh]');
        check(await page.locator('#f-q2-opt0-key').count() === 1 &&
            await page.locator('#f-q2-opt1-sv').count() === 1,
            'a choice question shows option fields once its type is applied');
        await page.fill('#f-q2-prompt-sv', 'Hur hörde du av dig?');
        await page.fill('#f-q2-prompt-en', 'How did you get in touch?');
        await page.fill('#f-q2-opt0-key', 'app');
        await page.fill('#f-q2-opt0-sv', 'I appen');
        await page.fill('#f-q2-opt0-en', 'In the app');
        await page.fill('#f-q2-opt1-key', 'telefon');
        await page.fill('#f-q2-opt1-sv', 'Per telefon');
        await page.fill('#f-q2-opt1-en', 'By phone');
        await page.check('#f-q2-required');
        await page.locator('#q1 details.sf-adv summary').click();
        await page.fill('#f-q1-when', '{"question": "nps", "max": 6}');
        // save: refused, the error beside the English prompt of question 2
        await submit(page, 'button[name=op][value=save]');
        const alert = page.locator('#f-q1-prompt-en-err[role=alert]');
        check(await alert.count() === 1 && /missing/.test(await alert.innerText()),
            'an error is shown beside the field it names (role=alert)',
            await page.locator('main').innerText().then((t) => t.slice(0, 600)));
        check(await page.locator('#f-q1-prompt-en').getAttribute('aria-invalid') === 'true',
            'the field is marked invalid');
        check(await page.locator('#f-q0-prompt-en').inputValue() === 'Would you recommend us?' &&
            await page.locator('#f-q2-opt1-en').inputValue() === 'By phone' &&
            await page.locator('#f-q1-when').inputValue().then((v) => /"max": 6/.test(v)),
            'everything typed is kept');
        r = await apiGet(page, url, `/api/surveys/${key}`);
        check(r.status === 404, 'and nothing is saved', String(r.status));
        await axe(page, 'the builder with an error (sv)');
        await page.fill('#f-q1-prompt-en', 'What should we do better?');
        await submit(page, 'button[name=op][value=save]');
        const saved = new URL(page.url());
        check(saved.pathname === `/app/surveys/${key}` && saved.searchParams.get('saved') === '1',
            'saving leads to the survey\'s page', page.url());
        check(await page.locator('.sf-done[role=status]').count() === 1, 'which says it is saved');
        r = await apiGet(page, url, `/api/surveys/${key}`);
        const built = r.body && r.body.definition;
        check(r.status === 200 && built && built.questions.length === 3 &&
            built.questions.map((q) => q.key).join() === 'nps,comment,kanal',
            'the API has it, its questions in order', JSON.stringify(r.body));
        // the same JSON through the API, under another key
        const mine = {
            key: key + '_api', name: { sv: 'Testenkät', en: 'Test survey' },
            languages: ['sv', 'en'], audience: 'customer',
            questions: [
                { key: 'nps', type: 'nps', required: true,
                    prompt: { sv: 'Skulle du rekommendera oss?', en: 'Would you recommend us?' } },
                { key: 'comment', type: 'text', when: { question: 'nps', max: 6 },
                    prompt: { sv: 'Vad kan vi göra bättre?', en: 'What should we do better?' } },
                { key: 'kanal', type: 'choice', required: true,
                    prompt: { sv: 'Hur hörde du av dig?', en: 'How did you get in touch?' },
                    options: [{ key: 'app', label: { sv: 'I appen', en: 'In the app' } },
                        { key: 'telefon', label: { sv: 'Per telefon', en: 'By phone' } }] }],
        };
        let pr = await page.request.post(`${url}/api/surveys`, {
            data: JSON.stringify(mine),
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } });
        check(pr.status() === 201, 'the same definition through the API', String(pr.status()));
        r = await apiGet(page, url, `/api/surveys/${key}_api`);
        const viaApi = r.body && r.body.definition;
        if (viaApi) viaApi.key = key;
        check(same(built, viaApi), 'the builder stored exactly what the API stores for the same JSON',
            JSON.stringify(built) + '\n' + JSON.stringify(viaApi));

        lap('the repair survey through the form, unchanged');
        // ---- the repair survey through the form, unchanged ----
        const before = (await apiGet(page, url, '/api/surveys/repair')).body.definition;
        await page.goto(`${url}/app/surveys/repair`);
        check(await page.locator('fieldset.sf-q').count() === 11 &&
            await page.locator('#f-key').getAttribute('readonly') !== null,
            'the repair survey loads into the form (11 questions, the key fixed)');
        await submit(page, 'button[name=op][value=save]');
        const after = (await apiGet(page, url, '/api/surveys/repair')).body.definition;
        check(same(before, after), 'saving it unchanged stores the same definition (every type, conditions, variants)',
            JSON.stringify(before).slice(0, 400) + '\n' + JSON.stringify(after).slice(0, 400));

        // remove and move, nothing saved
        await submit(page, 'button[name=remove][value="1"]');
        const keys = await page.locator('input[id$="-key"][id^="f-q"]:not([id*="opt"])').evaluateAll(
            (es) => es.map((e) => e.value));
        check(keys.length === 10 && keys[1] === 'comment',
            'removing question 2 (why) leaves 10, the next one moved up', keys.join());
        await submit(page, 'button[name=up][value="3"]');
        const keys2 = await page.locator('input[id$="-key"][id^="f-q"]:not([id*="opt"])').evaluateAll(
            (es) => es.map((e) => e.value));
        check(keys2[2] === 'quality' && keys2[3] === 'speed',
            'moving question 4 up swaps it with question 3', keys2.join());
        r = await apiGet(page, url, '/api/surveys/repair');
        check(same(r.body.definition, before), 'and neither is saved');

        lap('edit as JSON');
        // ---- edit as JSON ----
        await page.goto(`${url}/app/surveys/${key}`);
        await page.locator('details.sf-json summary').click();
        const text = await page.locator('#f-json').inputValue();
        await page.fill('#f-json', text.replace('"Test survey"', '"Test survey, edited"')
            .replace('"type": "choice"', '"type": "choise"'));
        await submit(page, 'button[name=op][value=json]');
        check(await page.locator('#f-json-err[role=alert]').count() === 1 &&
            /questions\[2\]\.type/.test(await page.locator('#f-json-err').innerText()),
            'bad JSON is refused with its path beside the text area',
            await page.locator('main').innerText().then((t) => t.slice(0, 400)));
        check(/choise/.test(await page.locator('#f-json').inputValue()), 'which keeps the text typed');
        await axe(page, 'the JSON error (sv)');
        await page.fill('#f-json', text.replace('"Test survey"', '"Test survey, edited"'));
        await submit(page, 'button[name=op][value=json]');
        r = await apiGet(page, url, `/api/surveys/${key}`);
        check(r.body && r.body.definition.name.en === 'Test survey, edited',
            'the JSON is saved', JSON.stringify(r.body && r.body.definition.name));

        lap('links, QR code and embed snippet');
        // ---- links, QR code and embed snippet ----
        await page.goto(`${url}/app/surveys/${key}`);
        await page.selectOption('#l-tp', 'reparation');
        await page.fill('#l-ref', 'kund-77');
        await submit(page, 'section[aria-labelledby=links] button[type=submit]');
        const q = '?touchpoint=reparation&ref=kund-77';
        const link = (await apiGet(page, url, `/api/surveys/${key}/link${q}`)).body;
        check(await page.locator('#signed-link').getAttribute('href') === link.url,
            'the signed link is the API\'s', link.url);
        const pub = (await apiGet(page, url, `/api/surveys/${key}/link?touchpoint=reparation`)).body;
        check(await page.locator('#public-link').getAttribute('href') === pub.url,
            'the public link is the API\'s', pub.url);
        const qr = await (await page.request.get(`${url}/api/surveys/${key}/qr.svg${q}`)).text();
        const d = await page.locator('.sf-qr svg path').getAttribute('d');
        check(d && qr.includes(`d="${d}"`) &&
            await page.locator('.sf-qr svg[role=img] title').count() === 1,
            'the QR code is the API\'s, an svg with role=img and a title');
        const dl = page.locator('#qr-download');
        check((await dl.getAttribute('href')) === `/api/surveys/${key}/qr.svg${q}` &&
            (await dl.getAttribute('download')) !== null, 'with a download link');
        const embed = await (await page.request.get(`${url}/api/surveys/${key}/embed${q}`)).text();
        check((await page.locator('pre.sf-embed').innerText()).trim() === embed.trim(),
            'the embed snippet is the API\'s', embed);
        await axe(page, 'the survey\'s page (sv)');
        await page.evaluate(() => window.scrollTo(0, 0));
        await shoot(page, shots, 'surveys');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the survey\'s page at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });

        lap('answer the new survey');
        // ---- answer the new survey ----
        const preview = await page.locator('#preview').getAttribute('href');
        await page.goto(url + preview);
        check(/Skulle du rekommendera oss/.test(await page.locator('main').innerText()),
            'the preview is the live survey page', preview);
        await page.check('#f-nps-4');
        await page.fill('textarea[name=comment]', 'Det tog lång tid.');
        await page.check('input[name=kanal][value=telefon]');
        await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit]').last().click()]);
        check(/Tack/.test(await page.locator('body').innerText()), 'the answer is taken (thank-you page)',
            await page.locator('body').innerText());
        let counted = 0;
        for (let i = 0; i < 30 && counted !== 1; i++) {
            const m = (await apiGet(page, url, '/api/analyses/metrics?by=attr:survey')).body;
            const cell = m && m.cells && m.cells.find((c) => c['attr:survey'] === key);
            counted = cell ? cell.n : 0;
            if (counted !== 1) await page.waitForTimeout(200);
        }
        check(counted === 1, 'the API counts one response from the new survey', String(counted));
        await page.goto(`${url}/app/surveys`);
        const row = await page.locator('table.surveys tr', { hasText: `${key}` }).first()
            .locator('td.num').last().innerText();
        check(row.trim() === String(counted), `the list counts it as the API does (${row})`);

        // ---- CSV ----
        const csvHref = await page.locator('main a.export').getAttribute('href');
        const cr = await page.request.get(url + csvHref);
        const csv = await cr.text();
        check(cr.status() === 200 && /^text\/csv/.test(cr.headers()['content-type']) &&
            /^survey,name,questions,updated,responses/.test(csv) &&
            new RegExp(`^${key},.*,3,.*,1$`, 'm').test(csv),
            'the list downloads as CSV with the same counts', csv.slice(0, 400));

        lap('English');
        // ---- English ----
        await page.goto(`${url}/app/surveys?lang=en`);
        check(await page.locator('h1').innerText() === 'Surveys', '?lang=en gives English');
        await axe(page, 'the list (en)');
        await page.goto(`${url}/app/surveys/${key}?lang=en`);
        check(await page.locator('form.sf').getAttribute('action') === `/app/surveys/${key}?lang=en`,
            'the builder keeps the language');
        await axe(page, 'the builder (en)');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the builder (en) at 390 px');
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        check(wide <= 390, `the builder fits 390 px (${wide})`);
        await page.setViewportSize({ width: 1280, height: 800 });

        lap('delete, with a confirmation');
        // ---- delete, with a confirmation ----
        await page.goto(`${url}/app/surveys/${key}_api`);
        await submit(page, 'button.sf-danger');
        check(/\/delete/.test(page.url()) && await page.locator('button.sf-danger').count() === 1,
            'delete asks first');
        r = await apiGet(page, url, `/api/surveys/${key}_api`);
        check(r.status === 200, 'and has not deleted yet');
        await axe(page, 'the confirmation (sv)');
        await submit(page, 'button.sf-danger');
        check(new URL(page.url()).pathname === '/app/surveys' &&
            await page.locator('.sf-done[role=status]').count() === 1, 'confirmed, back at the list');
        r = await apiGet(page, url, `/api/surveys/${key}_api`);
        check(r.status === 404, 'the survey is gone from the API', String(r.status));

        // a post without the CSRF field is refused
        pr = await page.request.post(`${url}/app/surveys/${key}/delete`, {
            form: { confirm: 'yes' } });
        check(pr.status() === 403, 'a post without the CSRF token is refused', String(pr.status()));
        r = await apiGet(page, url, `/api/surveys/${key}`);
        check(r.status === 200, 'and deleted nothing');
        await ctx.close();

        lap('the touchpoint owner');
        // ---- the touchpoint owner ----
        ({ ctx, page } = await ses.context('sv-SE'));
        ses.expect404 = true; /* 403s are expected too */
        await page.goto(`${url}/app/login?next=/app`);
        await page.fill('#name', 'fs');
        await page.fill('#password', 'fs-pass-123');
        await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
        check(await page.locator('nav a[href^="/app/surveys"]').count() === 0,
            'the owner has no surveys link');
        for (const p of ['/app/surveys', '/app/surveys/new', '/app/surveys/repair',
            '/app/surveys?format=csv']) {
            const resp = await page.goto(url + p).catch(() => null);
            const st = resp ? resp.status() : (await page.request.get(url + p)).status();
            check(st === 403, `the owner gets 403 on ${p}`, String(st));
        }
        const ocsrf = await page.locator('input[name=csrf]').first().getAttribute('value');
        pr = await page.request.post(`${url}/app/surveys/repair`, {
            form: { csrf: ocsrf, json: JSON.stringify(before), op: 'json' } });
        check(pr.status() === 403, 'and cannot save a survey', String(pr.status()));
        await axe(page, 'the forbidden page');
        await ctx.close();
        // a refused save answers 400 and the owner's pages 403: expected
        ses.errors = ses.errors.filter((e) => !/status of 40[03]/.test(e));

        lap('done');
        check(ses.outside.length === 0, 'no request left the server', ses.outside.join('\n'));
        check(ses.errors.length === 0, 'no page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser session ran to its end', e.stack || String(e));
    } finally {
        await browser.close();
    }
}

main();

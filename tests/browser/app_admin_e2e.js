// The admin pages and the account page in headless Chromium
// (tests/browser/app_admin.sh runs it): as the admin, every section,
// an owner created through the users form (a refused try first: the
// message, the input kept, nothing stored), the users table against
// GET /api/users, an API token shown once, working and revoked, bad
// journey, rules and taxonomy documents refused with their messages, a
// taxonomy saved and reset, the users as CSV, axe-core in Swedish,
// English and at 390 px; as the new owner, no admin, the account page:
// a wrong current password refused, the password changed, English
// chosen and then the pages in English without ?lang. Screenshots at
// 1280x800 and 390x844 when SHOTS (a directory) is given.
//   node app_admin_e2e.js URL CHROMIUM [SHOTS]
// Prints ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL | #<TAB>COMMENT lines.
'use strict';
const lib = require('./app_lib');
const { emit, no, check, signIn, shoot, session } = lib;
const T0 = Date.now();
// axe-core, with the time it was run at when TIMES is set
async function axe(page, what) {
    await lib.axe(page, what);
    if (process.env.TIMES) emit('#', `${((Date.now() - T0) / 1000).toFixed(1)} s: ${what}`);
}

const SECTIONS = ['users', 'tokens', 'journey', 'taxonomy', 'rules'];

// Submits the form that holds the element sel, waiting for the answer.
async function submit(page, sel) {
    const [resp] = await Promise.all([page.waitForNavigation(),
        page.locator(sel).click()]);
    return resp;
}

async function alertText(page) {
    const a = page.locator('main [role=alert]');
    return (await a.count()) ? (await a.first().innerText()) : '';
}

async function statusText(page) {
    const a = page.locator('main [role=status]');
    return (await a.count()) ? (await a.first().innerText()) : '';
}

async function tableNames(page) {
    return page.locator('table.users tbody th').allInnerTexts();
}

async function main() {
    const [url, exe, shots] = process.argv.slice(2);
    const origin = new URL(url).origin;
    const ses = await session(exe, origin);
    const { browser } = ses;
    try {
        // ---- the admin ----
        let { ctx, page } = await ses.context('sv-SE');
        await signIn(page, url, 'admin', 'admin-pass-1', '/app/admin');
        check(await page.locator('h1').count() === 1, 'one h1 on the admin index');
        for (const s of SECTIONS)
            check(await page.locator(`main a[href="/app/admin/${s}"]`).count() === 1,
                `the index links ${s}`);
        check(await page.locator('nav a[href^="/app/admin"][aria-current=page]').count() === 1,
            'the admin nav item is current');
        await axe(page, 'the admin index (sv)');
        await shoot(page, shots, 'admin');

        // every section in both languages and at 390 px
        for (const s of SECTIONS) {
            const r = await page.goto(`${url}/app/admin/${s}`);
            check(r.status() === 200 && await page.locator('h1').count() === 1,
                `/app/admin/${s}: 200 with one h1`, String(r.status()));
            check(await page.locator('main form input[name=csrf]').count() >= 1,
                `/app/admin/${s}: its forms carry the CSRF field`);
            await axe(page, `/app/admin/${s} (sv)`);
            await page.setViewportSize({ width: 390, height: 844 });
            await axe(page, `/app/admin/${s} at 390 px`);
            const sw = await page.evaluate(() => document.documentElement.scrollWidth);
            check(sw <= 390, `/app/admin/${s} fits 390 px (page width ${sw})`);
            await page.setViewportSize({ width: 1280, height: 800 });
            await page.goto(`${url}/app/admin/${s}?lang=en`);
            check(await page.locator('html').getAttribute('lang') === 'en',
                `/app/admin/${s}?lang=en is in English`);
            await axe(page, `/app/admin/${s} (en)`);
        }
        await page.goto(`${url}/app/admin/users`);
        await shoot(page, shots, 'admin-users');

        // a refused user: passwords differ; the form comes back, filled
        await page.fill('#new-name', 'agare');
        await page.selectOption('#new-role', 'owner');
        await page.fill('#new-tps', 'reparation');
        await page.fill('#new-pw', 'agare-pass-1');
        await page.fill('#new-pw2', 'agare-pass-2');
        let resp = await submit(page, '#h-create ~ form button, section[aria-labelledby=h-create] button');
        check(resp.status() === 400 && /did not match/.test(await alertText(page)),
            'two different passwords: 400 and the message', `${resp.status()} ${await alertText(page)}`);
        check(await page.inputValue('#new-name') === 'agare' &&
            await page.inputValue('#new-role') === 'owner' &&
            await page.inputValue('#new-tps') === 'reparation',
            'the form keeps what was typed');
        check(await page.locator('#new-name[aria-describedby=create-error]').count() === 1,
            'the name field points to the message');
        check(!(await tableNames(page)).includes('agare'), 'and nobody was created');
        await axe(page, 'the users page with an error');
        // an unknown touchpoint
        await page.fill('#new-tps', 'no_such_place');
        await page.fill('#new-pw', 'agare-pass-1');
        await page.fill('#new-pw2', 'agare-pass-1');
        resp = await submit(page, 'section[aria-labelledby=h-create] button');
        check(resp.status() === 400 && /no_such_place/.test(await alertText(page)),
            'an unknown touchpoint is refused by name', await alertText(page));
        // now right
        await page.fill('#new-tps', 'reparation');
        await page.fill('#new-pw', 'agare-pass-1');
        await page.fill('#new-pw2', 'agare-pass-1');
        resp = await submit(page, 'section[aria-labelledby=h-create] button');
        check(resp.status() === 200 && /agare/.test(await statusText(page)) &&
            (await tableNames(page)).includes('agare'),
            'the owner is created and listed', `${resp.status()} ${await statusText(page)}`);
        const row = await page.locator('table.users tr', { hasText: 'agare' }).innerText();
        check(/reparation/.test(row) && /ägare/.test(row), 'as an owner of reparation', row);
        // again: a conflict
        await page.fill('#new-name', 'agare');
        await page.selectOption('#new-role', 'owner');
        await page.fill('#new-tps', 'reparation');
        await page.fill('#new-pw', 'agare-pass-1');
        await page.fill('#new-pw2', 'agare-pass-1');
        resp = await submit(page, 'section[aria-labelledby=h-create] button');
        check(resp.status() === 409 && /exists/.test(await alertText(page)),
            'the same name again: 409', `${resp.status()} ${await alertText(page)}`);
        // the table is the API's
        const api = await (await page.request.get(`${url}/api/users`)).json();
        const apiNames = api.users.map((u) => u.name).sort();
        const pageNames = (await tableNames(page)).sort();
        check(JSON.stringify(apiNames) === JSON.stringify(pageNames),
            `the users table is GET /api/users (${pageNames.length})`,
            `${pageNames} vs ${apiNames}`);
        const owner = api.users.find((u) => u.name === 'agare');
        check(owner && owner.role === 'owner' && owner.touchpoints === 'reparation',
            'the API has the owner with reparation', JSON.stringify(owner));
        // one cannot disable oneself
        await page.selectOption('#acc-user', 'admin');
        resp = await submit(page, 'button[name=action][value=disable]');
        check(resp.status() === 400 && /yourself/.test(await alertText(page)),
            'an admin cannot disable themselves', await alertText(page));
        // the CSV
        const csv = await page.request.get(`${url}/app/admin/users?format=csv`);
        const body = await csv.text();
        check(csv.status() === 200 && /^text\/csv/.test(csv.headers()['content-type']) &&
            /^name,role/.test(body) && /agare,owner,reparation/.test(body),
            'the users as CSV', body.slice(0, 300));
        check(await page.locator('main .exports a[href*="format=csv"]').count() === 1,
            'the page links its CSV');

        // a token for the owner: shown once, works, revoked
        await page.goto(`${url}/app/admin/tokens`);
        await page.selectOption('#tok-user', 'agare');
        await page.fill('#tok-name', 'robot');
        await page.check('#tok-admin');
        resp = await submit(page, 'section[aria-labelledby=h-tcreate] button');
        check(resp.status() === 403, 'an owner cannot have an admin token', String(resp.status()));
        await page.uncheck('#tok-admin');
        await page.fill('#tok-days', '30');
        resp = await submit(page, 'section[aria-labelledby=h-tcreate] button');
        const secret = (await page.locator('#token-secret').count())
            ? await page.locator('#token-secret').innerText() : '';
        check(resp.status() === 200 && /^rsn_[\w-]{43}$/.test(secret),
            'the new token is shown once', secret);
        await axe(page, 'the tokens page with a new token');
        let r = await page.request.get(`${url}/api/me`, {
            headers: { Authorization: `Bearer ${secret}` } });
        const me = r.status() === 200 ? await r.json() : {};
        check(me.name === 'agare' && me.scopes === 'read', 'it works as the owner, read only',
            JSON.stringify(me));
        await page.goto(`${url}/app/admin/tokens`);
        check(!(await page.content()).includes(secret), 'and is not shown again');
        const trow = page.locator('table.tokens tr', { hasText: 'robot' });
        check(/agare/.test(await trow.innerText()) && /read/.test(await trow.innerText()),
            'the list has it: name, user, scopes', await trow.innerText());
        resp = await submit(page, 'table.tokens tr:has-text("robot") button');
        check(/återkallad/.test(await page.locator('table.tokens tr', { hasText: 'robot' }).innerText()),
            'revoked');
        r = await page.request.get(`${url}/api/me`, {
            headers: { Authorization: `Bearer ${secret}` } });
        check(r.status() === 401, 'a revoked token is refused', String(r.status()));

        // the journey: a bad document is refused with its path, kept
        await page.goto(`${url}/app/admin/journey`);
        const rows = await page.locator('main table tbody tr').count();
        check(rows >= 5 && /reparation/.test(await page.locator('main table').innerText()),
            `the journey as a table (${rows} rows)`);
        const json = await page.inputValue('#journey-json');
        check(/"journeys"/.test(json), 'and as JSON in the textarea');
        const bad = json.replace('"stages"', '"stagez"');
        await page.fill('#journey-json', bad);
        resp = await submit(page, 'section[aria-labelledby=h-replace] button');
        check(resp.status() === 400 && /journeys\[0\]/.test(await alertText(page)),
            'a bad journey document: 400 naming the JSON path', await alertText(page));
        check(await page.inputValue('#journey-json') === bad, 'the text is kept');
        await axe(page, 'the journey page with an error');
        await page.fill('#journey-json', json);
        resp = await submit(page, 'section[aria-labelledby=h-replace] button');
        check(resp.status() === 200 && (await statusText(page)).length > 0,
            'the same document saved again', await alertText(page));

        // the rules: refused with the path
        await page.goto(`${url}/app/admin/rules`);
        await page.fill('#rules-json', '{"rules": [{"key": "x", "when": 5}]}');
        resp = await submit(page, 'section[aria-labelledby=h-replace] button');
        check(resp.status() === 400 && /rules/.test(await alertText(page)),
            'a bad rules document: 400 with its message', await alertText(page));

        // the taxonomy: a bad line refused, a good one saved, then reset
        await page.goto(`${url}/app/admin/taxonomy`);
        check(/omstart|startats om/.test(await page.locator('main').innerText()),
            'the page says what a change means');
        await page.fill('#taxonomy-tsv', 'parkering sv');
        resp = await submit(page, 'section[aria-labelledby=h-replace] button');
        check(resp.status() === 400 && /taxonomy:1/.test(await alertText(page)),
            'a bad taxonomy line: 400 with its line', await alertText(page));
        await page.fill('#taxonomy-tsv', 'parking\tsv\tParkering\tparkering*, p-plats*\n');
        resp = await submit(page, 'section[aria-labelledby=h-replace] button');
        const prow = page.locator('table.themes tr', { hasText: 'parking' });
        check(resp.status() === 200 && await prow.count() === 1 &&
            /p-plats/.test(await prow.innerText()),
            'a taxonomy saved: the new theme with its words', await statusText(page));
        await axe(page, 'the taxonomy page with a saved taxonomy');
        resp = await submit(page, 'form:has(input[value=reset]) button');
        check(await page.locator('table.themes tr', { hasText: 'parking' }).count() === 0,
            'back to the built-in taxonomy');
        await ctx.close();

        // ---- the owner ----
        ({ ctx, page } = await ses.context('sv-SE'));
        await signIn(page, url, 'agare', 'agare-pass-1', '/app');
        check(await page.locator('a[href^="/app/admin"]').count() === 0,
            'the owner sees no Admin link');
        r = await page.goto(`${url}/app/admin`);
        check(r.status() === 403, 'and gets 403 on /app/admin', String(r.status()));
        r = await page.goto(`${url}/app/admin/users?format=csv`);
        check(r.status() === 403, 'and on the users CSV', String(r.status()));
        await page.goto(`${url}/app/account`);
        check(await page.locator('h1').count() === 1 &&
            /agare/.test(await page.locator('main').innerText()) &&
            /reparation/.test(await page.locator('main').innerText()),
            'the account page: name and touchpoints');
        check(await page.locator('#tok-admin').count() === 0 &&
            await page.locator('#tok-read').count() === 1,
            'a token can have only the scopes of the role');
        await axe(page, 'the account page (sv)');
        await shoot(page, shots, 'account');
        await page.setViewportSize({ width: 390, height: 844 });
        await axe(page, 'the account page at 390 px');
        await page.setViewportSize({ width: 1280, height: 800 });
        // a wrong current password
        await page.fill('#pw-current', 'not-my-password');
        await page.fill('#pw-new', 'agare-pass-9');
        await page.fill('#pw-again', 'agare-pass-9');
        resp = await submit(page, 'section[aria-labelledby=h-password] button');
        check(resp.status() === 400 && /current password is wrong/.test(await alertText(page)),
            'a wrong current password is refused', await alertText(page));
        await axe(page, 'the account page with an error');
        const old = await ctx.cookies();
        await page.fill('#pw-current', 'agare-pass-1');
        await page.fill('#pw-new', 'agare-pass-9');
        await page.fill('#pw-again', 'agare-pass-9');
        resp = await submit(page, 'section[aria-labelledby=h-password] button');
        check(new URL(page.url()).pathname === '/app/account' &&
            /Lösenordet är bytt/.test(await statusText(page)),
            'the password is changed and the user still signed in', page.url());
        const oldCookie = old.find((c) => c.name === 'resonans_session').value;
        r = await page.request.get(`${url}/api/me`, {
            headers: { Cookie: `resonans_session=${oldCookie}` } });
        check(r.status() === 401, 'the session from before is ended', String(r.status()));
        r = await page.request.post(`${url}/api/session`, {
            data: { name: 'agare', password: 'agare-pass-1' } });
        check(r.status() === 401, 'the old password no longer signs in', String(r.status()));
        // the language
        await page.check('#lang-en');
        resp = await submit(page, 'section[aria-labelledby=h-lang] button');
        check(await page.locator('html').getAttribute('lang') === 'en' &&
            !/lang=/.test(page.url()),
            'English chosen: the account page in English without ?lang', page.url());
        await page.goto(`${url}/app`);
        check(await page.locator('html').getAttribute('lang') === 'en' &&
            /Overview/.test(await page.locator('nav').innerText()),
            'the overview in English without ?lang (browser sv-SE)');
        await page.goto(`${url}/app/touchpoints`);
        check(await page.locator('html').getAttribute('lang') === 'en',
            'the touchpoints in English too');
        await page.goto(`${url}/app/touchpoints?lang=sv`);
        check(await page.locator('html').getAttribute('lang') === 'sv',
            '?lang=sv still wins');
        await page.goto(`${url}/app/account`);
        check(await page.locator('#lang-en').isChecked(), 'the account page shows the choice');
        await axe(page, 'the account page (en)');
        // a personal token
        await page.fill('#tok-name', 'my script');
        resp = await submit(page, 'section[aria-labelledby=h-token] button');
        const mine = (await page.locator('#token-secret').count())
            ? await page.locator('#token-secret').innerText() : '';
        r = await page.request.get(`${url}/api/me`, {
            headers: { Authorization: `Bearer ${mine}` } });
        check(/^rsn_/.test(mine) && r.status() === 200,
            'a personal token, shown once and working', mine);
        await ctx.close();

        check(ses.outside.length === 0, 'no request left the server', ses.outside.join('\n'));
        // refused forms answer 400/403/409 and the owner's admin pages 403:
        // expected
        ses.errors = ses.errors.filter((e) => !/status of 40[0139]/.test(e));
        check(ses.errors.length === 0, 'no page error', ses.errors.join('\n'));
    } catch (e) {
        no('the browser session ran to its end', e.stack || String(e));
    } finally {
        await browser.close();
    }
    emit('#', 'done');
}

main();

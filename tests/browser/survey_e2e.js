// The survey page end to end (tests/browser/survey.sh runs it), in two
// modes.
//
// browse: opens the public page of a survey in headless Chromium and
// answers every question with the keyboard only (page.keyboard: Tab,
// Shift+Tab, arrow keys, Space, Enter and typing; no click, no fill):
// first a submission without the required NPS (the browser's own check
// stops it; then, as a browser without constraint validation would, the
// server's error page), then every answer on that page, the triad and
// the dyad moved with arrow keys, sent with Enter on the button. axe-core
// checks the page (WCAG 2.1 A and AA) in Swedish, in English, after the
// error, filled in, and the thank-you page. When the thank-you page has
// loaded, MARKER gets "EPOCH_MS TOKEN" (the response id is web-TOKEN), so
// that the script can time the API from that moment; the thank-you page
// is checked once MARKER.done exists (or after 10 s).
//   node survey_e2e.js browse URL SURVEY TOUCHPOINT CHROMIUM MARKER [SHOT.png]
//
// api: checks what the API answered after the submission (files the
// script saved) against what the browser entered.
//   node survey_e2e.js api DIR
// DIR holds answers.txt (the browse mode's "v" lines), before.json (the
// metrics before), metrics.json, responses.json and verbatims.json.
//
// Both print one result a line, which survey.sh turns into TAP:
//   ok<TAB>NAME | no<TAB>NAME<TAB>DETAIL (newlines as \n) | #<TAB>COMMENT |
//   v<TAB>KEY<TAB>VALUE
'use strict';
const fs = require('fs');
const path = require('path');

function emit(...f) {
    process.stdout.write(f.map((s) => String(s).replace(/[\t\r]/g, ' ')
        .replace(/\n/g, '\\n')).join('\t') + '\n');
}
let failures = 0;
function ok(name) { emit('ok', name); }
function no(name, detail) { failures++; emit('no', name, detail || ''); }
function check(cond, name, detail) { if (cond) ok(name); else no(name, detail); }
function note(s) { emit('#', s); }

// ---------------------------------------------------------------- browse

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axe(page, what) {
    // evaluated through the DevTools protocol, which the page's CSP
    // (default-src 'self') does not govern; the page itself stays strict
    const src = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(src + '\n;0');
    const r = await page.evaluate(async (tags) => {
        const res = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
        });
        return res.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' +
                (n.failureSummary || '').replace(/\s+/g, ' ')),
            more: Math.max(0, v.nodes.length - 5),
        }));
    }, AXE_TAGS);
    const detail = r.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => '  ' + n).join('\n') +
        (v.more ? `\n  ... and ${v.more} more` : '')).join('\n');
    check(r.length === 0, `axe-core: no WCAG 2.1 A/AA violation on ${what}`,
        `${r.length} violation(s):\n${detail}`);
}

// What has the focus: "#id", "button", ".triad-control" and so on.
async function focused(page) {
    return page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return 'body';
        if (e.id) return '#' + e.id;
        if (e.classList.contains('triad-control')) return '.triad-control';
        if (e.tagName === 'A') return 'a[href="' + e.getAttribute('href') + '"]';
        return e.tagName.toLowerCase() + (e.type ? '[type=' + e.type + ']' : '');
    });
}

async function key(page, k, times) {
    for (let i = 0; i < (times || 1); i++) await page.keyboard.press(k);
}

// Tab (or Shift+Tab) once and check where the focus went.
async function tab(page, want, shift) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const got = await focused(page);
    check(got === want, `${shift ? 'Shift+Tab' : 'Tab'} moves the focus to ${want}`,
        `the focus is on ${got}`);
    return got === want;
}

// Tab until the focus is on want (at most n presses): for the first
// pass through the page, where only the end matters.
async function tabTo(page, want, n) {
    const seen = [];
    for (let i = 0; i < n; i++) {
        await page.keyboard.press('Tab');
        const got = await focused(page);
        seen.push(got);
        if (got === want) return seen;
    }
    no(`Tab reaches ${want}`, `passed ${seen.join(', ')}`);
    return null;
}

async function value(page, sel) {
    return page.evaluate((s) => {
        const e = document.querySelector(s);
        return e ? e.value : null;
    }, sel);
}

async function checkedValue(page, name) {
    return page.evaluate((n) => {
        const e = document.querySelector(`input[name="${n}"]:checked`);
        return e ? e.value : null;
    }, name);
}

async function visible(page, sel) {
    return page.evaluate((s) => {
        const e = document.querySelector(s);
        return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;
    }, sel);
}

// A scale or choice with the focus on its first button, nothing chosen:
// Space chooses the first, each arrow press the next.
async function choose(page, name, first, arrow, steps, want) {
    await key(page, 'Space');
    await key(page, arrow, steps);
    const got = await checkedValue(page, name);
    check(got === want, `${name}: Space and ${steps} × ${arrow} choose ${want}`,
        `chosen: ${got}, first: ${first}`);
}

async function typeText(page, sel, text) {
    await page.keyboard.type(text);
    const got = await value(page, sel);
    check(got === text, `typed into ${sel}`, `it holds: ${got}`);
}

async function browse(url, survey, tp, exe, marker, shot) {
    const { chromium } = require('playwright-core');
    const origin = new URL(url).origin;
    const browser = await chromium.launch({
        executablePath: exe,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
    });
    const outside = [];
    const errors = [];
    const posts = [];
    try {
        const ctx = await browser.newContext({
            viewport: { width: 800, height: 900 },
            deviceScaleFactor: 1,
            locale: 'sv-SE',
        });
        ctx.setDefaultTimeout(15000);
        // the page needs nothing but the server
        await ctx.route('**/*', (route) => {
            const u = route.request().url();
            if (u.startsWith(origin + '/')) return route.continue();
            outside.push(u);
            return route.abort();
        });
        const page = await ctx.newPage();
        page.on('pageerror', (e) => errors.push('page error: ' + e));
        page.on('console', (m) => {
            // a CSP refusal is reported here
            // (the 422 of the page sent back with its error is meant)
            if (m.type() === 'error' && !/status of 422/.test(m.text()))
                errors.push('console: ' + m.text());
        });
        page.on('request', (r) => {
            if (r.method() === 'POST') posts.push(r.url());
        });
        const link = (lang) => `${url}/s/${survey}?touchpoint=${encodeURIComponent(tp)}&lang=${lang}`;

        // 1. the page in English, untouched
        let resp = await page.goto(link('en'), { waitUntil: 'load' });
        check(resp.status() === 200, 'the English page answers 200', `status ${resp.status()}`);
        check((await page.getAttribute('html', 'lang')) === 'en', 'the English page has <html lang="en">');
        check(await page.evaluate(() => document.documentElement.classList.contains('js')),
            'survey.js ran (the page is enhanced)');
        await axe(page, 'the English page');

        // 2. the page in Swedish: submitted by keyboard without the
        // required NPS
        resp = await page.goto(link('sv'), { waitUntil: 'load' });
        check(resp.status() === 200, 'the Swedish page answers 200', `status ${resp.status()}`);
        check((await page.getAttribute('html', 'lang')) === 'sv', 'the Swedish page has <html lang="sv">');
        check(!(await visible(page, '#f-why')), 'the follow-up "why" is hidden before the NPS is answered');
        await axe(page, 'the Swedish page');
        const stops = await tabTo(page, 'button[type=submit]', 40);
        if (stops) {
            note(`tab stops of the empty page: ${stops.join(' ')}`);
            const want = ['#f-nps-0', '#f-comment', '#f-speed-1', '#f-quality-expect-1',
                '#f-quality-perceive-1', '#f-contact_channel-app', '#f-story-title',
                '#f-story', '.triad-control', '#f-pace', '#f-contact', 'button[type=submit]'];
            check(stops.join(' ') === want.join(' '),
                'the tab order of the empty page is its reading order, without hidden follow-ups',
                `want ${want.join(' ')}`);
        }
        await key(page, 'Space');
        await page.waitForTimeout(300);
        check(posts.length === 0 && await page.evaluate(() =>
            document.querySelector('#f-nps-0').validity.valueMissing),
        "Space on Skicka without an NPS: the browser's required check keeps the form",
        `posted: ${posts.join(' ')}`);
        check((await focused(page)) === '#f-nps-0', 'the browser moved the focus to the NPS',
            `the focus is on ${await focused(page)}`);
        // As a browser without constraint validation would: the server
        // checks again and sends the page back with the error marked.
        await page.evaluate(() => { document.querySelector('form.survey-form').noValidate = true; });
        await tabTo(page, 'button[type=submit]', 20);
        const [nav] = await Promise.all([
            page.waitForNavigation({ waitUntil: 'load' }),
            key(page, 'Space'),
        ]);
        check(nav && nav.status() === 422, 'the server sends the page back with 422',
            `status ${nav && nav.status()}`);
        const title = await page.title();
        check(title.startsWith('Fel: '), 'the title of the page after the error begins "Fel:"', title);
        check((await focused(page)) === '#error-summary', 'the error summary has the focus',
            `the focus is on ${await focused(page)}`);
        check(await page.evaluate(() => {
            const s = document.getElementById('error-summary');
            return s.getAttribute('role') === 'alert' &&
                /Svara på den här frågan/.test(s.textContent);
        }), 'the error summary (role="alert") names the NPS and says what to do');
        check(await page.evaluate(() => [...document.querySelectorAll('input[name="nps"]')]
            .every((i) => i.getAttribute('aria-invalid') === 'true' &&
                (i.getAttribute('aria-describedby') || '').split(' ').includes('e-nps'))),
        'every NPS button has aria-invalid and is described by the message');
        await axe(page, 'the page after the error');

        // 3. every answer on that page, by keyboard
        await tab(page, 'a[href="#f-nps-0"]');
        await key(page, 'Enter');
        let at = await focused(page);
        if (at !== '#f-nps-0') {
            // the link moved the focus start: the next Tab goes there
            note(`Enter on the summary link left the focus on ${at}`);
            await tab(page, '#f-nps-0');
        } else {
            ok('Enter on the summary link moves the focus to the NPS');
        }
        await choose(page, 'nps', '0', 'ArrowRight', 3, '3');
        check(await visible(page, '#f-why'), 'NPS 3 brings up the follow-up "why"');
        check(await page.evaluate(() => document.querySelector('#q-comment .q-variant').hidden === true),
            'the comment keeps its base prompt (the 9–10 variant stays hidden)');
        await tab(page, '#f-why');
        const why = 'Hantverkaren kom inte den dag vi hade bokat.';
        await typeText(page, '#f-why', why);
        await tab(page, '#f-comment');
        const comment = 'Hantverkaren kom aldrig och ingen ringde tillbaka. Helt oacceptabelt ' +
            'och dålig service! Ring mig på 070-123 45 67 eller mejla anna.svensson@example.se.';
        await typeText(page, '#f-comment', comment);
        // back to the follow-up and forth again
        await tab(page, '#f-why', true);
        await tab(page, '#f-comment');
        await tab(page, '#f-speed-1');
        await choose(page, 'speed', '1', 'ArrowRight', 3, '4');
        await tab(page, '#f-quality-expect-1');
        await choose(page, 'quality.expect', '1', 'ArrowRight', 5, '6');
        await tab(page, '#f-quality-perceive-1');
        await choose(page, 'quality.perceive', '1', 'ArrowRight', 2, '3');
        await tab(page, '#f-contact_channel-app');
        check(!(await visible(page, '#f-call_wait-1')), 'the follow-up "call_wait" is hidden before "By phone"');
        await choose(page, 'contact_channel', 'app', 'ArrowDown', 2, 'phone');
        check(await visible(page, '#f-call_wait-1'), 'choosing "Per telefon" brings up "call_wait"');
        await tab(page, '#f-call_wait-1');
        await choose(page, 'call_wait', '1', 'ArrowRight', 1, '2');
        // the story first, then back to its title
        await tab(page, '#f-story-title');
        await tab(page, '#f-story');
        const story = 'Jag tog ledigt från jobbet och väntade hela dagen, men ingen kom och ingen hörde av sig.';
        await typeText(page, '#f-story', story);
        await tab(page, '#f-story-title', true);
        const storyTitle = 'Dagen jag väntade';
        await typeText(page, '#f-story-title', storyTitle);
        await tab(page, '#f-story');

        // the triad: its focus ring, then arrows
        await tab(page, '.triad-control');
        const ring = await page.evaluate(() => {
            const k = document.activeElement;
            const cs = getComputedStyle(k);
            return { visible: k.matches(':focus-visible'), style: cs.outlineStyle,
                width: parseFloat(cs.outlineWidth), color: cs.outlineColor,
                shadow: cs.boxShadow };
        });
        check(ring.visible && ring.style !== 'none' && ring.width >= 2,
            'the focused triad handle shows a focus outline',
            JSON.stringify(ring));
        note(`triad focus ring: outline ${ring.style} ${ring.width}px ${ring.color}, shadow ${ring.shadow}`);
        const before = [];
        for (let i = 1; i <= 3; i++) before.push(await value(page, `#f-felt-${i}`));
        check(before.every((v) => v === ''), 'the untouched triad posts nothing (its fields are empty)',
            before.join(' '));
        await key(page, 'ArrowUp', 4);   // toward "Att det gick snabbt"
        await key(page, 'ArrowLeft', 2); // toward "Att det blev rätt"
        const felt = [];
        for (let i = 1; i <= 3; i++) felt.push(await value(page, `#f-felt-${i}`));
        const fn = felt.map(Number);
        const sum = fn[0] + fn[1] + fn[2];
        check(felt.every((v) => /^[0-9]+$/.test(v)) && sum === 100,
            `the arrow keys wrote the triad's three fields, summing to 100: ${felt.join(' + ')}`,
            `fields: ${felt.join(', ')}`);
        check(Math.max(...fn) - Math.min(...fn) >= 20 && fn[0] > fn[1] && fn[1] > fn[2],
            'the triad moved toward the first corner, then the second: clearly unequal weights',
            felt.join(', '));
        const valuetext = await page.evaluate(() => document.activeElement.getAttribute('aria-valuetext'));
        check(valuetext === `Att det gick snabbt ${fn[0]} %, Att det blev rätt ${fn[1]} %, ` +
            `Att jag blev väl bemött ${fn[2]} %`, "the triad's aria-valuetext says all three weights",
        valuetext);
        const live = await page.evaluate(() => document.querySelector('.triad-live').textContent);
        check(live === valuetext, 'the live region says the same', live);

        // the dyad
        await tab(page, '#f-pace');
        await key(page, 'ArrowLeft', 20);
        const pace = await value(page, '#f-pace');
        check(pace === '30', '20 × ArrowLeft puts the dyad at 30', pace);
        const dtext = await page.evaluate(() => document.activeElement.getAttribute('aria-valuetext'));
        check(dtext === 'Alldeles för långsamt 70 %, Alldeles för stressigt 30 %',
            "the dyad's aria-valuetext says where it stands", dtext);

        await tab(page, '#f-contact');
        await key(page, 'Space');
        check(await page.evaluate(() => document.querySelector('#f-contact').checked),
            'Space ticks the consent box');
        await tab(page, 'button[type=submit]');
        await axe(page, 'the filled-in page');
        if (shot) await page.screenshot({ path: shot, fullPage: true });

        const token = await value(page, 'input[name="token"]');
        emit('v', 'token', token);
        emit('v', 'nps', 3);
        emit('v', 'why', why);
        emit('v', 'comment', comment);
        emit('v', 'felt', felt.join(','));
        emit('v', 'pace', pace);
        emit('v', 'story', story);
        emit('v', 'story_title', storyTitle);

        // 4. Enter on the button; the thank-you page
        const n_posts = posts.length;
        const [done] = await Promise.all([
            page.waitForNavigation({ waitUntil: 'load' }),
            key(page, 'Enter'),
        ]);
        const t = Date.now();
        fs.writeFileSync(marker + '.tmp', `${t} ${token}\n`);
        fs.renameSync(marker + '.tmp', marker);
        check(posts.length === n_posts + 1, 'Enter on the button posts the form once',
            `${posts.length - n_posts} posts`);
        check(done && done.status() === 200, 'the answer is the thank-you page (200)',
            `status ${done && done.status()}`);
        const h1 = await page.textContent('h1');
        check(h1 === 'Tack för att du svarade!', 'the thank-you page thanks in Swedish', h1);
        // the rest waits until the script has timed the API, so that
        // Chromium does not compete with the server for the CPU
        for (let i = 0; i < 500 && !fs.existsSync(marker + '.done'); i++)
            await new Promise((res) => setTimeout(res, 20));
        await axe(page, 'the thank-you page');

        check(outside.length === 0, 'the pages asked for nothing outside the server', outside.join('\n'));
        check(errors.length === 0, 'no page error, console error or CSP refusal', errors.join('\n'));
    } finally {
        await browser.close();
    }
}

// ---------------------------------------------------------------- api

function readJson(file) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function api(dir) {
    const v = {};
    for (const line of fs.readFileSync(path.join(dir, 'answers.txt'), 'utf8').split('\n')) {
        const f = line.split('\t');
        if (f[0] === 'v') v[f[1]] = f.slice(2).join('\t');
    }
    const id = 'web-' + v.token;

    // the response
    const rs = readJson(path.join(dir, 'responses.json')).responses;
    const r = rs.find((x) => x.id === id);
    if (!r) {
        no(`GET /api/responses holds ${id}`, rs.map((x) => x.id).join(' '));
    } else {
        ok(`GET /api/responses holds ${id}`);
        check(rs[rs.length - 1] === r, 'it is the newest response of the touchpoint',
            `the last is ${rs[rs.length - 1].id}`);
        note(`stored comment: ${r.comment}`);
        const c = String(r.comment || '');
        check(c !== '' && !/070|123 45 67|@|anna\.svensson|example\.se/.test(c),
            'the stored comment holds neither the phone number nor the e-mail address', c);
        check(c.includes('[telefon]') && c.includes('[e-post]'),
            'the stored comment has [telefon] and [e-post] in their place', c);
        check(c.startsWith('Hantverkaren kom aldrig och ingen ringde tillbaka.'),
            'the rest of the comment is as typed', c);
        const felt = v.felt.split(',').map((x) => Number(x) / 100);
        const stored = String(r['triad:felt'] || '').split('|').map(Number);
        const want = {
            nps: 3, language: 'sv', respondent: 'customer', 'attr:survey': 'repair',
            'text:why': v.why, 'rating:speed@5': 4, 'expect:quality': 6,
            'perceive:quality': 3, 'choice:contact_channel': 'phone',
            'rating:call_wait@5': 2, 'story:story': v.story,
            'story_title:story': v.story_title, 'dyad:pace': Number(v.pace) / 100,
            'attr:contact': 'yes',
        };
        const bad = Object.keys(want).filter((k) => r[k] !== want[k])
            .map((k) => `${k}: stored ${JSON.stringify(r[k])}, entered ${JSON.stringify(want[k])}`);
        check(bad.length === 0, 'every answer given by keyboard is stored as entered', bad.join('\n'));
        check(stored.length === 3 && stored.every((x, i) => Math.abs(x - felt[i]) < 0.005),
            `the triad is stored as entered: ${r['triad:felt']}`, `entered ${felt.join('|')}`);
    }

    // its text analysis
    const vs = readJson(path.join(dir, 'verbatims.json')).comments || [];
    const mine = vs.filter((x) => x.response === id);
    note(`verbatims of ${id}: ` + mine.map((x) => `${x.question} ${x.label} ` +
        `(${x.score === null ? '-' : x.score.toFixed(2)}) [${Object.keys(x.themes || {}).join(' ')}]`).join('; '));
    const vc = mine.find((x) => x.question === 'comment');
    if (!vc) {
        no('GET /api/analyses/verbatims shows the comment', vs.map((x) => `${x.response}/${x.question}`).join(' '));
    } else {
        ok('GET /api/analyses/verbatims shows the comment');
        check(r && vc.text === r.comment, 'the verbatim is the redacted comment', vc.text);
        check(vc.label === 'negative' && vc.score < 0, `its sentiment is negative (${vc.score})`,
            `label ${vc.label}, score ${vc.score}`);
        const th = Object.keys(vc.themes || {});
        check(th.length > 0, `it has themes: ${th.join(', ')}`, JSON.stringify(vc));
        check(Array.isArray(vc.redacted) && vc.redacted.includes('phone') && vc.redacted.includes('email'),
            `it says what was redacted: ${(vc.redacted || []).join(', ')}`, JSON.stringify(vc.redacted));
        check(vc.language === 'sv', 'it was read as Swedish', vc.language);
    }
    // A chosen option is redacted, not analysed as a comment, as an
    // import does (src/ingest/import_text.c)
    check(!mine.some((y) => y.question === 'contact_channel'),
        'the chosen option is not among the comments',
        mine.map((y) => y.question).join(' '));
    const vs2 = mine.find((x) => x.question === 'story');
    check(vs2 && vs2.label === 'negative', 'the story was analysed too (negative)', JSON.stringify(vs2));

    // the metrics
    const b = readJson(path.join(dir, 'before.json')).cells[0];
    const a = readJson(path.join(dir, 'metrics.json')).cells[0];
    check(a.count.value === b.count.value + 1,
        `the count went up by one: ${b.count.value} → ${a.count.value}`, JSON.stringify(a.count));
    check(a.nps.n === b.nps.n + 1, `NPS is over one more answer: ${b.nps.n} → ${a.nps.n}`,
        JSON.stringify(a.nps));
    // one more detractor: (P - D) / n becomes (P - D - 1) / (n + 1)
    const want = (b.nps.value * b.nps.n - 100) / (b.nps.n + 1);
    check(Math.abs(a.nps.value - want) < 1e-6 && a.nps.value < b.nps.value,
        `NPS fell as one more detractor makes it: ${b.nps.value.toFixed(2)} → ${a.nps.value.toFixed(2)}`,
        `expected ${want}, got ${a.nps.value}`);
}

async function main() {
    const [mode, ...args] = process.argv.slice(2);
    if (mode === 'browse') await browse(...args);
    else if (mode === 'api') api(...args);
    else throw new Error('usage: survey_e2e.js browse URL SURVEY TOUCHPOINT CHROMIUM MARKER [SHOT] | api DIR');
}

main().then(() => process.exit(0), (e) => {
    no('survey_e2e.js ran to its end', String(e && e.stack ? e.stack : e));
    process.exit(2);
});

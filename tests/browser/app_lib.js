// What the web app's browser checks share (app_e2e.js, app_views_e2e.js,
// app_journey_e2e.js): the result lines app*.sh turn into TAP, axe-core
// over a page (WCAG 2.1 A and AA), screenshots at a desktop's and a
// phone's size, and signing in through the page.
'use strict';
const fs = require('fs');
const path = require('path');

function emit(...f) {
    process.stdout.write(f.map((s) => String(s).replace(/[\t\r]/g, ' ')
        .replace(/\n/g, '\\n')).join('\t') + '\n');
}
function ok(name) { emit('ok', name); }
function no(name, detail) { emit('no', name, detail || ''); }
function check(cond, name, detail) { if (cond) ok(name); else no(name, detail); }

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axe(page, what) {
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
        }));
    }, AXE_TAGS);
    check(r.length === 0, `axe-core: no WCAG 2.1 A/AA violation on ${what}`,
        r.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ` +
            v.nodes.join('\n  ')).join('\n'));
}

async function signIn(page, url, name, pw, next) {
    await page.goto(url + next);
    check(page.url().includes('/app/login'),
        `${name}: an unsigned visit to ${next} goes to the sign-in page`, page.url());
    await page.fill('#name', name);
    await page.fill('#password', pw);
    await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
    check(new URL(page.url()).pathname === next,
        `${name}: signed in, back at ${next}`, page.url());
}

async function shoot(page, dir, name) {
    if (!dir) return;
    for (const [w, h] of [[1280, 800], [390, 844]]) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({ path: path.join(dir, `${name}-${w}x${h}.png`),
            fullPage: false });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
}

// Headless Chromium whose pages may reach nothing but origin: a request
// elsewhere is aborted and kept in s.outside; page errors and console
// errors go to s.errors, except a 403 or 404 while s.expect404 is set (a "not
// found" the test asks for). s.context(locale) gives { ctx, page } at
// 1280x800; close s.browser at the end.
async function session(exe, origin) {
    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({
        executablePath: exe, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
    });
    const s = { browser, outside: [], errors: [], expect404: false };
    s.context = async (locale) => {
        const ctx = await browser.newContext({
            viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale,
        });
        ctx.setDefaultTimeout(15000);
        await ctx.route('**/*', (route) => {
            const u = route.request().url();
            if (u.startsWith(origin + '/')) return route.continue();
            s.outside.push(u);
            return route.abort();
        });
        const page = await ctx.newPage();
        page.on('pageerror', (e) => s.errors.push('page error: ' + e));
        page.on('console', (m) => {
            if (m.type() === 'error' && !(s.expect404 && /status of 40[34]/.test(m.text())))
                s.errors.push(m.text());
        });
        return { ctx, page };
    };
    return s;
}

module.exports = { emit, ok, no, check, axe, signIn, shoot, session };

// Opens an HTML page in headless Chromium at 1280x800 with every network
// request refused, measures the box of every SVG <text> element from the
// DOM, and saves a screenshot of the window. Prints one JSON object:
// {labels, overlaps: [...], outside: [...], requests: [...], errors: [...],
//  widest_ratio, scroll_width}.
// Usage: node check_labels.js PAGE.html SCREENSHOT.png CHROMIUM
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
    const [page_path, png, exe] = process.argv.slice(2);
    const browser = await chromium.launch({
        executablePath: exe,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
    });
    const out = { requests: [], errors: [] };
    try {
        const ctx = await browser.newContext({
            viewport: { width: 1280, height: 800 },
            deviceScaleFactor: 1,
            offline: true,
        });
        const page = await ctx.newPage();
        page.on('pageerror', (e) => out.errors.push(String(e)));
        // the page must need nothing but itself
        await page.route('**/*', (route) => {
            const url = route.request().url();
            if (url.startsWith('file:')) return route.continue();
            out.requests.push(url);
            return route.abort();
        });
        await page.goto('file://' + path.resolve(page_path), { waitUntil: 'load' });
        const m = await page.evaluate(() => {
            const labels = [];
            for (const t of document.querySelectorAll('svg text')) {
                const r = t.getBoundingClientRect();
                const cs = getComputedStyle(t);
                if (cs.display === 'none' || cs.visibility === 'hidden' ||
                    r.width === 0 || r.height === 0)
                    continue;
                const text = [...t.childNodes]
                    .filter((n) => n.nodeName !== 'title')
                    .map((n) => n.textContent).join(' / ');
                // the layout's estimate, in the SVG's units, against the
                // drawn width in the same units
                const box = (t.getAttribute('data-box') || '').split(' ').map(Number);
                const bb = t.getBBox();
                labels.push({
                    x: r.left + window.scrollX, y: r.top + window.scrollY,
                    w: r.width, h: r.height, text,
                    what: t.getAttribute('data-what') || '',
                    ratio: box.length === 4 && box[2] > 0 ? bb.width / box[2] : 0,
                });
            }
            return {
                labels,
                scroll_width: document.documentElement.scrollWidth,
            };
        });
        const L = m.labels;
        out.labels = L.length;
        out.scroll_width = m.scroll_width;
        out.overlaps = [];
        out.outside = [];
        out.widest_ratio = 0;
        const tol = 0.5; // px: boxes that touch are not overlapping
        for (let i = 0; i < L.length; i++) {
            const a = L[i];
            if (a.ratio > out.widest_ratio) {
                out.widest_ratio = a.ratio;
                out.widest = `${a.what} "${a.text}"`;
            }
            if (a.x < 0 || a.x + a.w > 1280)
                out.outside.push(`${a.what} "${a.text}" x ${a.x.toFixed(1)}..${(a.x + a.w).toFixed(1)}`);
            for (let j = i + 1; j < L.length; j++) {
                const b = L[j];
                if (a.x < b.x + b.w - tol && b.x < a.x + a.w - tol &&
                    a.y < b.y + b.h - tol && b.y < a.y + a.h - tol)
                    out.overlaps.push(`${a.what} "${a.text}" and ${b.what} "${b.text}"`);
            }
        }
        await page.screenshot({ path: png });
    } finally {
        await browser.close();
    }
    process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(2);
});

// The web app's little progressive JavaScript (docs/web-overview.md).
// Every page works without it; with it:
//   - a filter form whose page carries #overview-auto submits when a
//     date is changed (the hint says so before the fields, WCAG 3.2.2);
//   - #overview-live[data-refresh=SECONDS]: every SECONDS the page
//     fetches its own URL and, when the headline's n (data-n) changed,
//     puts the new headline and trend in place. The headline is an
//     aria-live="polite" region, so a screen reader hears the news; a
//     section holding the focus is left alone until the focus leaves.
'use strict';
(function () {
    var hint = document.getElementById('overview-auto');
    var form = document.querySelector('form.filters');
    if (hint && form) {
        hint.hidden = false;
        var dates = form.querySelectorAll('input[type=date]');
        Array.prototype.forEach.call(dates, function (input) {
            var was = input.value;
            input.setAttribute('aria-describedby', hint.id);
            input.addEventListener('change', function () {
                // a whole date, or cleared: typing a year is not one
                if (input.value === was ||
                    (input.value && !/^\d{4}-\d{2}-\d{2}$/.test(input.value)))
                    return;
                was = input.value;
                if (form.requestSubmit)
                    form.requestSubmit();
                else
                    form.submit();
            });
        });
    }

    var live = document.getElementById('overview-live');
    if (!live || !window.fetch || !window.DOMParser)
        return;
    var seconds = parseInt(live.getAttribute('data-refresh'), 10);
    if (!(seconds >= 2))
        seconds = 60;
    var ids = ['overview-head', 'overview-trend'];
    var busy = false;

    function swap(doc) {
        ids.forEach(function (id) {
            var old = document.getElementById(id);
            var now = doc.getElementById(id);
            if (!old || !now)
                return;
            var focused = old.contains(document.activeElement);
            if (id === 'overview-head') {
                // keep the live region itself, so it is announced
                old.setAttribute('data-n', now.getAttribute('data-n'));
                old.innerHTML = now.innerHTML;
            } else if (!focused) {
                old.replaceWith(document.importNode(now, true));
            }
        });
    }

    function tick() {
        if (busy || document.hidden)
            return;
        busy = true;
        fetch(window.location.href, {
            credentials: 'same-origin',
            cache: 'no-store',
            headers: { Accept: 'text/html' }
        }).then(function (r) {
            // a session that ended redirects to the sign-in page: stop
            if (!r.ok || r.redirected)
                throw new Error('no update');
            return r.text();
        }).then(function (html) {
            var doc = new DOMParser().parseFromString(html, 'text/html');
            var head = doc.getElementById('overview-head');
            var cur = document.getElementById('overview-head');
            if (head && cur &&
                head.getAttribute('data-n') !== cur.getAttribute('data-n'))
                swap(doc);
        }).catch(function () {
            // offline or signed out: try again at the next tick
        }).then(function () {
            busy = false;
        });
    }
    window.setInterval(tick, seconds * 1000);
})();

/* Resonans survey page: progressive enhancement of the server-rendered
 * form (src/survey/survey_page.c). Without this file every question is
 * shown and the form posts as it is; with it, follow-ups appear and
 * disappear by their data-when conditions, prompts switch to their
 * variants, the triad becomes a draggable, keyboard-operable triangle and
 * the dyad gets a live value text. Nothing is fetched: the form still
 * submits as a normal POST. No inline script is needed, so a strict CSP
 * (default-src 'self') holds. */
(function () {
    'use strict';

    var form = document.querySelector('form.survey-form');
    if (!form || !document.querySelector || !Array.prototype.forEach) {
        return;
    }
    document.documentElement.className += ' js';

    var each = function (list, fn) {
        Array.prototype.forEach.call(list, fn);
    };
    var svgNS = 'http://www.w3.org/2000/svg';

    /* The answer to question key as a string, or null when it is not
     * answered or its block is hidden (a dropped follow-up). */
    function answer(key) {
        var block = document.getElementById('q-' + key);
        if (!block || block.hidden) {
            return null;
        }
        var checked = block.querySelector('input[name="' + key + '"]:checked');
        return checked ? checked.value : null;
    }

    /* Does the condition in el's data-when/min/max/is attributes hold? */
    function holds(el) {
        var key = el.getAttribute('data-when');
        if (!key) {
            return true;
        }
        var v = answer(key);
        if (v === null || v === '') {
            return false;
        }
        var is = el.getAttribute('data-is');
        if (is !== null) {
            return is.split(' ').indexOf(v) >= 0;
        }
        var n = parseInt(v, 10);
        var min = el.getAttribute('data-min');
        var max = el.getAttribute('data-max');
        return !isNaN(n) && (min === null || n >= parseInt(min, 10)) &&
            (max === null || n <= parseInt(max, 10));
    }

    function setDisabled(block, off) {
        each(block.querySelectorAll('input, textarea, select'), function (c) {
            c.disabled = off;
        });
    }

    /* Shows the follow-ups whose condition holds and picks each prompt
     * variant, in document order so a follow-up of a hidden follow-up is
     * hidden too. Hidden questions are disabled: not posted, not checked
     * by the browser's required check. */
    function update() {
        each(form.querySelectorAll('.q'), function (block) {
            if (block.hasAttribute('data-when')) {
                var show = holds(block);
                if (block.hidden === show) {
                    block.hidden = !show;
                    setDisabled(block, !show);
                }
            }
            var prompts = block.querySelectorAll('.q-prompt');
            if (prompts.length > 1) {
                var chosen = 0;
                for (var i = 1; i < prompts.length && !chosen; i++) {
                    if (holds(prompts[i])) {
                        chosen = i;
                    }
                }
                each(prompts, function (p, i) {
                    p.hidden = i !== chosen;
                });
            }
        });
    }

    /* Dyad: a live text of where the slider stands; a slider never
     * moved is not an answer, so it is not posted. */
    function enhanceDyad(block) {
        var range = block.querySelector('input[type="range"]');
        if (!range) {
            return;
        }
        var key = block.getAttribute('data-key');
        var left = document.getElementById('l-' + key);
        var right = document.getElementById('r-' + key);
        var out = document.createElement('p');
        out.className = 'dyad-value';
        out.setAttribute('aria-hidden', 'true');
        range.parentNode.appendChild(out);
        var untouched = range.getAttribute('data-untouched') || '';
        var touched = !range.hasAttribute('data-untouched');
        function show() {
            var v = parseInt(range.value, 10);
            var text = left.textContent + ' ' + (100 - v) + ' %, ' +
                right.textContent + ' ' + v + ' %';
            range.setAttribute('aria-valuetext', text);
            out.textContent = touched ? text : untouched;
        }
        function touch() {
            touched = true;
            show();
        }
        range.addEventListener('input', touch);
        range.addEventListener('change', touch);
        range.addEventListener('keydown', function (e) {
            if (e.key && e.key.indexOf('Arrow') === 0) {
                touched = true;
            }
        });
        form.addEventListener('submit', function () {
            if (!touched && !range.disabled) {
                range.disabled = true;
            }
        });
        show();
    }

    /* Triad: a triangle with a point whose distance to each corner sets
     * the three weights (barycentric coordinates). */
    function enhanceTriad(fs) {
        var inputs = fs.querySelectorAll('input[type="number"]');
        if (inputs.length !== 3 || !document.createElementNS) {
            return;
        }
        var names = [];
        each(inputs, function (inp) {
            var l = fs.querySelector('label[for="' + inp.id + '"]');
            names.push(l ? l.textContent : '');
        });
        var corner = [[150, 16], [14, 252], [286, 252]];
        var w = [1 / 3, 1 / 3, 1 / 3];
        var set = false;
        var vals = [];
        each(inputs, function (inp) {
            vals.push(parseFloat(inp.value));
        });
        var sum = vals[0] + vals[1] + vals[2];
        if (vals[0] >= 0 && vals[1] >= 0 && vals[2] >= 0 && sum > 0) {
            w = [vals[0] / sum, vals[1] / sum, vals[2] / sum];
            set = true;
        }

        var wrap = document.createElement('div');
        wrap.className = 'triad-widget';
        var top = document.createElement('p');
        top.className = 'triad-corner triad-corner-a';
        top.setAttribute('aria-hidden', 'true');
        top.textContent = names[0];
        var svg = document.createElementNS(svgNS, 'svg');
        svg.setAttribute('viewBox', '0 0 300 268');
        svg.setAttribute('class', 'triad-svg');
        svg.setAttribute('aria-hidden', 'true');
        svg.setAttribute('focusable', 'false');
        var tri = document.createElementNS(svgNS, 'polygon');
        tri.setAttribute('points', corner.map(function (c) {
            return c.join(',');
        }).join(' '));
        tri.setAttribute('class', 'triad-triangle');
        svg.appendChild(tri);
        var dot = document.createElementNS(svgNS, 'circle');
        dot.setAttribute('r', '11');
        dot.setAttribute('class', 'triad-dot');
        svg.appendChild(dot);
        var bottom = document.createElement('div');
        bottom.className = 'triad-bottom';
        bottom.setAttribute('aria-hidden', 'true');
        var b = document.createElement('span');
        b.textContent = names[1];
        var c = document.createElement('span');
        c.textContent = names[2];
        bottom.appendChild(b);
        bottom.appendChild(c);

        /* the focusable control: a slider in ARIA's terms, whose value
         * text says all three weights */
        var knob = document.createElement('div');
        knob.className = 'triad-control';
        knob.setAttribute('tabindex', '0');
        knob.setAttribute('role', 'slider');
        knob.setAttribute('aria-valuemin', '0');
        knob.setAttribute('aria-valuemax', '100');
        var legend = fs.querySelector('legend .q-prompt:not([hidden])') ||
            fs.querySelector('legend');
        knob.setAttribute('aria-label', legend ? legend.textContent : '');
        var help = document.createElement('p');
        help.className = 'q-hint';
        help.id = 'th-' + inputs[0].id;
        help.textContent = fs.getAttribute('data-hint') || '';
        var old = (inputs[0].getAttribute('aria-describedby') || '')
            .split(' ').filter(function (id) {
                return id && id.indexOf('t-') !== 0;
            });
        old.push(help.id);
        knob.setAttribute('aria-describedby', old.join(' '));
        if (inputs[0].getAttribute('aria-invalid')) {
            knob.setAttribute('aria-invalid', 'true');
        }
        knob.appendChild(top);
        knob.appendChild(svg);
        knob.appendChild(bottom);
        var live = document.createElement('p');
        live.className = 'triad-live';
        live.setAttribute('aria-live', 'polite');
        wrap.appendChild(help);
        wrap.appendChild(knob);
        wrap.appendChild(live);
        var numbers = fs.querySelector('.triad-numbers');
        numbers.parentNode.insertBefore(wrap, numbers);
        fs.className += ' triad-enhanced';
        /* the hint about sharing 100 points is for the numbers */
        var pointsHint = document.getElementById(
            't-' + fs.parentNode.getAttribute('data-key'));
        if (pointsHint) {
            pointsHint.hidden = true;
        }

        /* whole percentages summing to 100 (largest remainder) */
        function percents() {
            var p = w.map(function (x) {
                return Math.floor(x * 100);
            });
            var rest = 100 - p[0] - p[1] - p[2];
            var order = [0, 1, 2].sort(function (i, j) {
                return (w[j] * 100 - p[j]) - (w[i] * 100 - p[i]);
            });
            for (var k = 0; k < rest; k++) {
                p[order[k % 3]]++;
            }
            return p;
        }
        function text(p) {
            return names.map(function (n, i) {
                return n + ' ' + p[i] + ' %';
            }).join(', ');
        }
        function draw(announce) {
            var x = 0, y = 0;
            for (var i = 0; i < 3; i++) {
                x += w[i] * corner[i][0];
                y += w[i] * corner[i][1];
            }
            dot.setAttribute('cx', x.toFixed(1));
            dot.setAttribute('cy', y.toFixed(1));
            var p = percents();
            knob.setAttribute('aria-valuenow', String(p[0]));
            knob.setAttribute('aria-valuetext', set ? text(p) :
                text(p) + ' (' + (fs.getAttribute('data-unset') || '–') + ')');
            if (set) {
                each(inputs, function (inp, i) {
                    inp.value = String(p[i]);
                });
            }
            if (announce) {
                live.textContent = text(p);
            }
        }
        /* barycentric weights of (x, y), clamped into the triangle */
        function place(x, y) {
            var a = corner[0], b2 = corner[1], c2 = corner[2];
            var det = (b2[1] - c2[1]) * (a[0] - c2[0]) +
                (c2[0] - b2[0]) * (a[1] - c2[1]);
            var l1 = ((b2[1] - c2[1]) * (x - c2[0]) +
                (c2[0] - b2[0]) * (y - c2[1])) / det;
            var l2 = ((c2[1] - a[1]) * (x - c2[0]) +
                (a[0] - c2[0]) * (y - c2[1])) / det;
            var l = [l1, l2, 1 - l1 - l2].map(function (v) {
                return Math.max(0, v);
            });
            var s = l[0] + l[1] + l[2];
            w = s > 0 ? [l[0] / s, l[1] / s, l[2] / s] : [1 / 3, 1 / 3, 1 / 3];
            set = true;
        }
        function point() {
            var x = 0, y = 0;
            for (var i = 0; i < 3; i++) {
                x += w[i] * corner[i][0];
                y += w[i] * corner[i][1];
            }
            return [x, y];
        }
        knob.addEventListener('keydown', function (e) {
            var step = e.shiftKey ? 3 : 12;
            var p = point();
            switch (e.key) {
            case 'ArrowUp': p[1] -= step; break;     /* toward corner A */
            case 'ArrowDown': p[1] += step; break;   /* away from A */
            case 'ArrowLeft': p[0] -= step; break;   /* toward B */
            case 'ArrowRight': p[0] += step; break;  /* toward C */
            case 'Home':
                w = [1 / 3, 1 / 3, 1 / 3];
                set = true;
                draw(true);
                e.preventDefault();
                return;
            default:
                return;
            }
            e.preventDefault();
            place(p[0], p[1]);
            draw(true);
        });
        var dragging = false;
        function fromEvent(e) {
            var m = svg.getScreenCTM();
            if (!m) {
                return;
            }
            var pt = svg.createSVGPoint();
            pt.x = e.clientX;
            pt.y = e.clientY;
            var q = pt.matrixTransform(m.inverse());
            place(q.x, q.y);
            draw(false);
        }
        svg.addEventListener('pointerdown', function (e) {
            dragging = true;
            if (svg.setPointerCapture) {
                svg.setPointerCapture(e.pointerId);
            }
            knob.focus();
            fromEvent(e);
            e.preventDefault();
        });
        svg.addEventListener('pointermove', function (e) {
            if (dragging) {
                fromEvent(e);
            }
        });
        var stop = function () {
            if (dragging) {
                dragging = false;
                draw(true);
            }
        };
        svg.addEventListener('pointerup', stop);
        svg.addEventListener('pointercancel', stop);
        draw(false);
    }

    each(form.querySelectorAll('.q-dyad'), enhanceDyad);
    each(form.querySelectorAll('fieldset.triad'), enhanceTriad);
    /* A question answered after an error is no longer in error: its
     * message and aria-invalid go, so a screen reader stops saying so. */
    function cleared(e) {
        var block = e.target.closest ? e.target.closest('.q-has-error') : null;
        if (!block) {
            return;
        }
        block.classList.remove('q-has-error');
        each(block.querySelectorAll('[aria-invalid]'), function (c) {
            c.removeAttribute('aria-invalid');
        });
        each(block.querySelectorAll('.q-error-msg'), function (m) {
            m.hidden = true;
        });
    }

    form.addEventListener('change', cleared);
    form.addEventListener('change', update);
    form.addEventListener('input', update);
    update();

    var summary = document.getElementById('error-summary');
    if (summary) {
        summary.focus();
    }
}());

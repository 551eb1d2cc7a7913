#!/usr/bin/node
// Receivers for the closed loop's end-to-end tests: a webhook endpoint
// and an SMTP sink on 127.0.0.1, at ports the kernel picks.
//
//   node tests/e2e/loop_sinks.js DIR [--fail-first N] [--down-while FILE]
//
// Every POST becomes DIR/hook-<seq>.json {path, headers (lower-case
// names), body, status, received_at}; the first N are answered 503, and
// so is every one while FILE exists (a receiver that is down), the rest
// 200. Every mail becomes DIR/mail-<seq>.json {from, to, data}, data
// the DATA text dot-unstuffed. DIR/ports.json {http, smtp} appears once
// both listen. Every file is written to a temporary name and renamed, so
// a reader never sees half of one. Runs until SIGTERM or SIGINT (exit 0).
// Only node's own modules: the tests must not need npm.
'use strict';

const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

function usage(msg) {
  process.stderr.write(`loop_sinks: ${msg}\n` +
    'usage: node loop_sinks.js DIR [--fail-first N] [--down-while FILE]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
let dir = null;
let failFirst = 0;
let downWhile = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--fail-first') {
    const v = args[++i];
    if (v === undefined || !/^\d+$/.test(v)) usage('--fail-first needs a count');
    failFirst = Number(v);
  } else if (args[i] === '--down-while') {
    downWhile = args[++i];
    if (downWhile === undefined) usage('--down-while needs a file');
  } else if (args[i].startsWith('-')) {
    usage(`unknown option ${args[i]}`);
  } else if (dir === null) {
    dir = args[i];
  } else {
    usage(`unexpected argument ${args[i]}`);
  }
}
if (dir === null) usage('no directory');
fs.mkdirSync(dir, { recursive: true });

// Temp name in the same directory, so rename is atomic; the "." prefix
// and ".tmp" suffix keep it out of a reader's hook-*.json glob.
function writeAtomic(name, value) {
  const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, path.join(dir, name));
}

// Bodies larger than this are answered 413 and recorded cut short.
const MAX_BODY = 4 << 20;
let hookSeq = 0;
let posts = 0;

const web = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => {
    let status;
    if (req.method !== 'POST') {
      status = 405;
    } else if (size > MAX_BODY) {
      status = 413;
    } else {
      posts += 1;
      const down = downWhile !== null && fs.existsSync(downWhile);
      status = posts <= failFirst || down ? 503 : 200;
      const headers = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
      hookSeq += 1;
      writeAtomic(`hook-${hookSeq}.json`, {
        path: req.url,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        received_at: new Date().toISOString(),
      });
    }
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status === 200 ? 'ok\n' : `${status}\n`);
  });
});

// SMTP: the least of RFC 5321 that curl and our mail_send need.
const MAX_DATA = 16 << 20;
let mailSeq = 0;

function smtpSession(sock) {
  let buf = Buffer.alloc(0);
  let from = null;
  let to = [];
  let inData = false;
  let data = [];
  let dataSize = 0;
  const say = (line) => sock.write(`${line}\r\n`);
  const reset = () => { from = null; to = []; data = []; dataSize = 0; };

  function command(line) {
    const verb = line.slice(0, 4).toUpperCase();
    const addr = () => {
      const m = /<([^>]*)>/.exec(line);
      return m ? m[1] : line.slice(line.indexOf(':') + 1).trim();
    };
    if (verb === 'EHLO') {
      say('250-loop_sinks greets you');
      say('250-8BITMIME');
      say('250 SMTPUTF8');
    } else if (verb === 'HELO') {
      say('250 loop_sinks');
    } else if (/^MAIL FROM:/i.test(line)) {
      reset();
      from = addr();
      say('250 2.1.0 Ok');
    } else if (/^RCPT TO:/i.test(line)) {
      if (from === null) { say('503 5.5.1 MAIL first'); return; }
      to.push(addr());
      say('250 2.1.5 Ok');
    } else if (verb === 'DATA') {
      if (to.length === 0) { say('503 5.5.1 RCPT first'); return; }
      inData = true;
      say('354 End data with <CR><LF>.<CR><LF>');
    } else if (verb === 'RSET') {
      reset();
      say('250 2.0.0 Ok');
    } else if (verb === 'NOOP') {
      say('250 2.0.0 Ok');
    } else if (verb === 'QUIT') {
      say('221 2.0.0 Bye');
      sock.end();
    } else {
      say('502 5.5.2 Command not recognised');
    }
  }

  // line is raw bytes with its line end
  function dataLine(line) {
    const text = line.toString('latin1');
    if (text === '.\r\n' || text === '.\n') {
      inData = false;
      if (dataSize > MAX_DATA) {
        say('552 5.3.4 Message too big');
      } else {
        mailSeq += 1;
        writeAtomic(`mail-${mailSeq}.json`, {
          from,
          to,
          data: Buffer.concat(data).toString('utf8'),
        });
        say('250 2.0.0 Ok: queued');
      }
      reset();
      return;
    }
    // RFC 5321 4.5.2: the client doubled a leading '.'
    const body = line[0] === 0x2e ? line.subarray(1) : line;
    dataSize += body.length;
    if (dataSize <= MAX_DATA) data.push(body);
  }

  say('220 loop_sinks ESMTP');
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    let nl;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      const line = buf.subarray(0, nl + 1);
      buf = buf.subarray(nl + 1);
      if (inData) dataLine(line);
      else command(line.toString('utf8').replace(/\r?\n$/, ''));
    }
    // a command line without an end is never this long
    if (!inData && buf.length > 4096) {
      say('500 5.5.6 Line too long');
      sock.destroy();
    }
  });
  sock.on('error', () => {});
}

const smtp = net.createServer(smtpSession);

let listening = 0;
function ready() {
  listening += 1;
  if (listening < 2) return;
  writeAtomic('ports.json', {
    http: web.address().port,
    smtp: smtp.address().port,
  });
}
web.listen(0, '127.0.0.1', ready);
smtp.listen(0, '127.0.0.1', ready);

function stop() {
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

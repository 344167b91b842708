/* TLS-SRP browser-chrome mockup: a small state machine rendered into mockup.html.
 * URL parameters:
 *   state=<id>        one of js/states.js (default credential-dialog)
 *   theme=light|dark  (default: the system colour scheme)
 *   report=<file>     JSON shaped like srpclient --report (default sample-report.json)
 *   notes=0           hide the mockup note under the window
 * The demo device accepts user <report.srp_username> (admin) with password "correct horse". */
(function () {
  'use strict';
  const I = globalThis.ICONS;
  const STATES = globalThis.MOCKUP_STATES;
  const params = new URLSearchParams(location.search);
  const DEMO_PASSWORD = 'correct horse';
  const MAX_ATTEMPTS = 3;
  const LOCK_MINUTES = 5;
  const REPORT_KEYS = ['backend', 'url', 'tls_version', 'cipher_suite', 'group_bits', 'srp_username',
    'http_code', 'handshake_seconds', 'total_seconds', 'prompts', 'attempts', 'exit_code', 'error'];

  const $ = (sel) => document.querySelector(sel);
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  /* ---------- theme ---------- */
  const theme = params.get('theme') ||
    (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  document.documentElement.dataset.theme = theme;
  if (params.get('notes') === '0') document.documentElement.dataset.notes = 'off';

  /* ---------- the device and the connection report ---------- */
  const DEV = {
    host: '192.168.1.1', srpPort: 8443, petname: 'Home router', model: 'AX3000 Router', pinnedSince: '12 Nov 2026',
    username: 'admin', weakBits: 1024
  };
  let report = null;        // the parsed report (only while signed in)
  let reportSource = null;  // what was loaded, kept so a new sign-in can show it again
  let reportError = null;

  function validateReport(r) {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new Error('not a JSON object');
    const missing = REPORT_KEYS.filter((k) => !(k in r));
    if (missing.length) throw new Error('missing keys: ' + missing.join(', '));
    return r;
  }
  async function loadReport() {
    const src = params.get('report') || 'sample-report.json';
    try {
      const res = await fetch(src, { cache: 'no-store' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      reportSource = validateReport(await res.json());
      try {
        const u = new URL(reportSource.url);
        DEV.host = u.hostname;
        if (u.port) DEV.srpPort = Number(u.port);
      } catch (e) { /* keep defaults */ }
      if (reportSource.srp_username) DEV.username = String(reportSource.srp_username);
    } catch (e) {
      reportError = 'Could not read ' + src + ': ' + e.message +
        ' (serve this folder over HTTP, e.g. npm run serve)';
    }
  }

  /* ---------- model ---------- */
  let m = null;
  let wrongCount = 0;

  function baseModel() {
    return {
      state: 'credential-dialog', variant: 'chip', page: 'connecting', security: 'connecting',
      url: { scheme: 'https', host: DEV.host, port: DEV.srpPort, path: '/' },
      tabs: 'device', dialog: null, panel: false, logoutOpen: false, pinned: true, remembered: true,
      signedIn: false, renaming: false, weak: false, advanced: false, pinRemoval: 0, afterPin: 'no-srp-http',
      since: null, toast: ''
    };
  }
  const srpUrl = () => ({ scheme: 'https', host: DEV.host, port: DEV.srpPort, path: '/' });
  const httpUrl = (path) => ({ scheme: 'http', host: DEV.host, port: null, path: path || '/' });

  const PRESETS = {
    'compare-indicators': { page: 'compare', security: 'internal', tabs: 'single',
      url: { scheme: 'browser', host: 'mockups', path: '/indicators' } },
    'plain-http': { page: 'device-login-http', security: 'http', url: httpUrl('/'), pinned: false },
    'cert-tls': { page: 'cert-site', security: 'cert', tabs: 'single', pinned: false,
      url: { scheme: 'https', host: 'www.example.org', path: '/account' } },
    'credential-dialog': { dialog: { mode: 'normal' }, pinned: false },
    'wrong-password': { dialog: { mode: 'wrong', attemptsLeft: 2, username: 'admin' }, pinned: false, wrong: 1 },
    'username-refused': { dialog: { mode: 'refused', username: 'bob' }, pinned: false },
    'locked': { dialog: { mode: 'locked', username: 'admin' }, pinned: false, wrong: 3 },
    'srp-connected': { signedIn: true, page: 'device-status', security: 'srp' },
    'srp-connected-padlock': { signedIn: true, page: 'device-status', security: 'srp', variant: 'padlock' },
    'site-info': { signedIn: true, page: 'device-status', security: 'srp', panel: true },
    'site-info-padlock': { signedIn: true, page: 'device-status', security: 'srp', panel: true, variant: 'padlock' },
    'rename-device': { signedIn: true, page: 'device-status', security: 'srp', panel: true, renaming: true },
    'logout': { signedIn: true, page: 'device-status', security: 'srp', panel: true, logoutOpen: true },
    'logged-out': { page: 'signed-out', security: 'signed-out' },
    'logged-out-closed': { page: 'newtab', security: 'internal', tabs: 'others',
      url: { scheme: 'browser', host: 'newtab', path: '/' }, toast: 'closed' },
    'new-tab': { page: 'newtab', security: 'internal', tabs: 'others',
      url: { scheme: 'browser', host: 'newtab', path: '/' } },
    'no-srp-http': { page: 'device-login-http', security: 'http', url: httpUrl('/'), pinned: false },
    'no-srp-cert': { page: 'cert-error', security: 'cert-error', pinned: false },
    'no-srp-cert-proceeded': { page: 'device-login-http', security: 'cert-error', pinned: false },
    'sign-in-cancelled': { page: 'cancelled', security: 'connecting', pinned: false },
    'weak-group': { page: 'weak', security: 'blocked', pinned: false },
    'weak-group-advanced': { page: 'weak', security: 'blocked', pinned: false, advanced: true },
    'weak-group-connected': { signedIn: true, weak: true, page: 'device-status', security: 'srp-weak', pinned: false },
    'downgrade-http': { page: 'downgrade', security: 'blocked', url: httpUrl('/'), downgrade: 'http', afterPin: 'no-srp-http' },
    'downgrade-cert': { page: 'downgrade', security: 'blocked', downgrade: 'cert', afterPin: 'no-srp-cert' },
    'pin-settings': { page: 'pin-settings', security: 'internal', tabs: 'single',
      url: { scheme: 'browser', host: 'settings', path: '/srp-devices' } },
    'transition-detect': { page: 'transition-detect', security: 'http', url: httpUrl('/'), pinned: false },
    'transition-legacy': { page: 'transition-legacy', security: 'http', url: httpUrl('/login'), pinned: false },
    'spoof-attempt': { page: 'spoof', security: 'http', pinned: false, tabs: 'single',
      url: { scheme: 'http', host: 'router-login.example', path: '/signin' } }
  };

  function buildModel(id, patch) {
    const p = PRESETS[id] || PRESETS['credential-dialog'];
    const mm = Object.assign(baseModel(), JSON.parse(JSON.stringify(p)), patch || {});
    mm.state = PRESETS[id] ? id : 'credential-dialog';
    if ('wrong' in p) wrongCount = p.wrong;
    if (mm.dialog && wrongCount >= MAX_ATTEMPTS) {   // the pause outlives closing and reopening the window
      mm.dialog = { mode: 'locked', username: mm.dialog.username || DEV.username };
      mm.state = 'locked';
      report = null;
      return mm;
    }
    if (mm.signedIn) {
      report = reportSource ? Object.assign({}, reportSource) : null;
      if (report && mm.weak) report.group_bits = DEV.weakBits;
      mm.since = mm.since || new Date(Date.now() - 12 * 60 * 1000).toISOString();
    } else {
      report = null;
    }
    return mm;
  }

  function go(id, patch, opts) {
    m = buildModel(id, patch);
    const q = new URLSearchParams(location.search);
    q.set('state', m.state);
    history.replaceState(null, '', location.pathname + '?' + q.toString());
    render(opts || {});
  }

  /* ---------- rendering: chrome ---------- */
  function urlText(u) {
    if (u.scheme === 'browser') return '<span class="u-scheme">browser://</span>' + esc(u.host + u.path);
    const port = u.port ? ':' + u.port : '';
    const scheme = u.scheme === 'http' ? '' : '<span class="u-scheme">' + esc(u.scheme) + '://</span>';
    return scheme + '<span class="u-host">' + esc(u.host) + '</span><span class="u-rest">' + esc(port + (u.path === '/' ? '' : u.path)) + '</span>';
  }

  /* The accessible name starts with the visible text (WCAG 2.5.3 label in name), then explains. */
  function indicatorHTML(sec, variant, username) {
    const mk = (cls, icon, text, explain) => ({ cls,
      label: (text ? text + '. ' : '') + (explain ? explain + '. ' : '') + 'View site information',
      html: icon + (text ? '<span class="ind-text">' + esc(text) + '</span>' : '') });
    switch (sec) {
      case 'http': return mk('ind-http', I.warn, 'Not secure', 'Plain HTTP');
      case 'cert': return mk('ind-cert', I.tune, '', 'Certificate TLS connection');
      case 'cert-error': return mk('ind-http', I.warn, 'Not secure', 'Certificate error');
      case 'blocked': return mk('ind-blocked', I.block, 'Blocked', 'Your browser stopped this connection');
      case 'connecting': return mk('ind-connecting', I.mutualkey, 'Sign-in needed', 'This device asks for a TLS-SRP sign-in');
      case 'signed-out': return mk('ind-signedout', I.keyoff, 'Signed out', 'The browser holds no password for this device');
      case 'internal': return mk('ind-internal', I.globe, 'Browser', 'A page of your browser');
      case 'srp':
      case 'srp-weak': {
        const weak = sec === 'srp-weak';
        if (variant === 'padlock') {
          const r = mk('ind-srplock' + (weak ? ' weak' : ''), I.srplock, weak ? 'SRP · weak' : 'SRP',
            'TLS-SRP connection, signed in as ' + username + (weak ? ' over a weak group' : ''));
          return r;
        }
        const second = weak ? 'weak group' : DEV.petname;
        return { cls: 'ind-chip' + (weak ? ' weak' : ''),
          label: username + ' · ' + second + '. Signed in as ' + username + ' on ' + DEV.petname +
            ' with your password (TLS-SRP)' + (weak ? ', over a weak group' : '') + '. View site information',
          html: I.mutualkey + '<span class="ind-text"><span class="chip-user">' + esc(username) +
            '</span> <span class="chip-sep" aria-hidden="true">·</span> <span class="chip-dev">' +
            esc(second) + '</span></span>' };
      }
    }
    return mk('', I.info, '', '');
  }

  function tabsFor() {
    const dev = DEV.model;   // tab titles come from the page, which does not know the petname
    const pageTitle = {
      'device-status': dev + ' – Status', 'connecting': DEV.host + ':' + DEV.srpPort,
      'signed-out': 'Signed out', 'device-login-http': 'Router login', 'weak': 'Blocked',
      'downgrade': 'Blocked', 'cert-error': 'Privacy error', 'transition-detect': 'Router',
      'transition-legacy': 'Router login', 'compare': 'Indicators', 'cert-site': 'Your account – Example',
      'pin-settings': 'Settings – SRP devices', 'cancelled': DEV.host + ':' + DEV.srpPort, 'newtab': 'New tab', 'spoof': 'Router login'
    }[m.page] || 'Tab';
    if (m.tabs === 'others') return [{ title: 'New tab', active: true }, { title: 'Weather – Today' }];
    if (m.tabs === 'single') return [{ title: pageTitle, active: true }, { title: 'Weather – Today' }];
    const t = [{ title: pageTitle, active: true }];
    if (m.signedIn) t.push({ title: dev + ' – Wi‑Fi', device: true });
    t.push({ title: 'Weather – Today' });
    return t;
  }

  function renderChrome() {
    $('#btn-back').innerHTML = I.back;
    $('#btn-forward').innerHTML = I.forward;
    $('#btn-reload').innerHTML = I.reload;
    $('#btn-menu').innerHTML = I.menu;
    const tabs = tabsFor();
    $('#tabstrip').innerHTML = tabs.map((t, i) =>
      '<div class="tab' + (t.active ? ' active' : '') + '" role="tab" aria-selected="' + (t.active ? 'true' : 'false') +
      '" tabindex="' + (t.active ? '0' : '-1') + '" id="tab-' + i + '"><span class="tab-title">' + esc(t.title) +
      '</span><span class="tab-x" aria-hidden="true">' + I.close + '</span></div>').join('') +
      '<div class="tab-new" aria-hidden="true">+</div>';
    $('#btn-tabs').innerHTML = '<span class="tabcount-n">' + tabs.length + '</span>';
    $('#btn-tabs').setAttribute('aria-label', tabs.length + ' open tabs');
    const ind = indicatorHTML(m.security, m.variant, report ? report.srp_username : DEV.username);
    const b = $('#indicator');
    b.className = 'indicator ' + ind.cls;
    b.innerHTML = ind.html;
    b.setAttribute('aria-label', ind.label);
    b.dataset.security = m.security;
    b.setAttribute('aria-expanded', m.panel ? 'true' : 'false');
    $('#url').innerHTML = urlText(m.url);
    $('#url').setAttribute('aria-label', 'Address: ' + $('#url').textContent);
    $('#url').setAttribute('role', 'textbox');
    $('#url').setAttribute('aria-readonly', 'true');
    $('#url').tabIndex = 0;
  }

  /* ---------- rendering: page content ---------- */
  const fmtTime = (iso) => {
    const d = new Date(iso);
    return String(d.getUTCHours()).padStart(2, '0') + ':' + String(d.getUTCMinutes()).padStart(2, '0') + ' UTC';
  };

  function pageHTML() {
    const host = esc(DEV.host), dev = esc(DEV.petname), user = esc(DEV.username);
    switch (m.page) {
      case 'connecting':
        return '<div class="page page-blank"><p class="visually-hidden">The page of ' + host + ':' + DEV.srpPort + ' has not loaded yet: the browser is waiting for your sign-in.</p></div>';
      case 'device-status':
        return '<div class="page devpage">' +
          '<div class="dev-top"><span class="dev-logo">' + I.device + '</span><h1>' + esc(DEV.model) + '</h1>' +
          '<span class="dev-user">Signed in as ' + esc(report ? report.srp_username : DEV.username) + '</span></div>' +
          '<nav class="dev-nav" aria-label="Device menu"><a href="#" class="on" aria-current="page">Status</a><a href="#">Wi‑Fi</a><a href="#">Devices</a><a href="#">Firmware</a></nav>' +
          '<div class="cards">' +
          '<section class="card"><h2>Internet</h2><p class="big ok">Connected</p><p class="muted">Up 6 days 4 h · 93.184.216.34</p></section>' +
          '<section class="card"><h2>Wi‑Fi</h2><p class="big">home‑5G</p><p class="muted">12 devices · WPA3</p></section>' +
          '<section class="card"><h2>Firmware</h2><p class="big">2.4.1</p><p class="muted">Up to date</p></section>' +
          '</div>' +
          '<p class="muted small">This page has no login form: the browser signed in with TLS-SRP while connecting.</p></div>';
      case 'signed-out':
        return '<div class="page interstitial neutral"><div class="inter-icon">' + I.keyoff + '</div>' +
          '<h1>You logged out of ' + host + '</h1>' +
          '<p>Your browser forgot the password for <strong>' + user + '</strong> and closed its connections to this device. Nothing from this device stays signed in.</p>' +
          '<div class="inter-actions"><button type="button" class="primary" data-action="signin-again">Sign in again</button></div></div>';
      case 'cancelled':
        return '<div class="page interstitial neutral"><div class="inter-icon">' + I.mutualkey + '</div>' +
          '<h1>Sign-in cancelled</h1>' +
          '<p><strong>' + host + ':' + DEV.srpPort + '</strong> only opens after a TLS-SRP sign-in. Nothing was sent to it, and no page from it was loaded.</p>' +
          '<div class="inter-actions"><button type="button" class="primary" data-action="signin-again">Sign in</button></div></div>';
      case 'newtab':
        return '<div class="page page-newtab"><h1 class="newtab-title">New tab</h1><p class="muted">' + (m.toast ? 'The tabs of ' + host + ' were closed. Weather – Today is still open.' : 'Nothing from ' + host + ' was loaded.') + '</p></div>';
      case 'device-login-http':
        return '<div class="page devpage legacy">' +
          '<div class="dev-top"><span class="dev-logo">' + I.device + '</span><h1>Router login</h1></div>' +
          '<form class="legacy-form" onsubmit="return false"><label for="lg-user">Username</label><input id="lg-user" autocomplete="off" value="admin">' +
          '<label for="lg-pass">Password</label><input id="lg-pass" type="password" autocomplete="off">' +
          '<p class="field-warn" role="note">' + I.warn + '<span>Your browser: this page is not secure. A password typed here can be read on the network.</span></p>' +
          '<button type="submit" class="primary">Log in</button></form></div>';
      case 'cert-site':
        return '<div class="page certsite"><h1>Your account</h1><p class="muted">A site with a CA certificate. The tune icon opens site settings; nothing in the address bar names you or your account.</p>' +
          '<div class="cards"><section class="card"><h2>Profile</h2><p>Signed in by a page form</p></section><section class="card"><h2>Security</h2><p>Password last changed 2 months ago</p></section></div></div>';
      case 'cert-error':
        return '<div class="page interstitial danger"><div class="inter-icon">' + I.warn + '</div>' +
          '<h1>Your connection is not private</h1>' +
          '<p>Attackers might be trying to steal your information from <strong>' + host + '</strong> (for example, passwords, messages or credit cards).</p>' +
          '<p class="code">NET::ERR_CERT_AUTHORITY_INVALID</p>' +
          (m.advanced ? '<div class="inter-advanced" id="adv"><p>This server could not prove that it is <strong>' + host + '</strong>; its security certificate is self-signed. It offered no TLS-SRP sign-in either.</p><p><a href="#" data-action="cert-proceed">Proceed to ' + host + ' (unsafe)</a></p></div>' : '') +
          '<div class="inter-actions"><button type="button" class="secondary" data-action="advanced" aria-expanded="' + (m.advanced ? 'true' : 'false') + '">' + (m.advanced ? 'Hide advanced' : 'Advanced') + '</button><button type="button" class="primary" data-action="back-safety">Back to safety</button></div></div>';
      case 'weak':
        return '<div class="page interstitial danger"><div class="inter-icon">' + I.shield + '</div>' +
          '<h1>This device\'s sign-in is too weak</h1>' +
          '<p><strong>' + host + ':' + DEV.srpPort + '</strong> offered TLS-SRP with a <strong>' + DEV.weakBits + '-bit group</strong>. Your browser requires at least 2048 bits: with a group this small, a well-equipped attacker who records the sign-in may be able to work out the password later.</p>' +
          '<p><strong>Your password was not used.</strong> Update the device\'s firmware or ask its maker for a 2048-bit or larger group (RFC 5054, appendix A).</p>' +
          '<p class="code">SRP_GROUP_NOT_ACCEPTABLE</p>' +
          (m.advanced ? '<div class="inter-advanced" id="adv"><p>Only if you know why this device cannot be updated and nobody can watch this network:</p><p><button type="button" class="linkish danger-link" data-action="weak-proceed">Connect anyway with a ' + DEV.weakBits + '-bit group (unsafe)</button></p></div>' : '') +
          '<div class="inter-actions"><button type="button" class="secondary" data-action="advanced" aria-expanded="' + (m.advanced ? 'true' : 'false') + '">' + (m.advanced ? 'Hide advanced' : 'Advanced') + '</button><button type="button" class="primary" data-action="back-safety">Back to safety</button></div></div>';
      case 'downgrade': {
        const what = m.downgrade === 'cert'
          ? 'Now it offers only a certificate, and no password sign-in.'
          : 'Now it answers with plain HTTP: no encryption and no password proof.';
        return '<div class="page interstitial danger hard"><div class="inter-icon">' + I.block + '</div>' +
          '<h1>Stopped: this device used to prove itself with your password</h1>' +
          '<p>Since ' + esc(DEV.pinnedSince) + ', <strong>' + host + '</strong> (' + dev + ') has signed you in with TLS-SRP as <strong>' + user + '</strong>. ' + what + '</p>' +
          '<p>Another device may be pretending to be it, or it may have been reset. Your browser will not connect, and will not ask for your password here.</p>' +
          '<p class="code">' + (m.downgrade === 'cert' ? 'SRP_PIN_DOWNGRADE_TO_CERTIFICATE' : 'SRP_PIN_DOWNGRADE_TO_HTTP') + '</p>' +
          '<div class="inter-actions"><button type="button" class="primary" data-action="back-safety">Back to safety</button></div>' +
          '<details class="inter-details"><summary>I reset this device on purpose</summary>' +
          '<p>A reset device forgets its TLS-SRP password. The browser remembers that ' + host + ' uses TLS-SRP (an SRP pin, like HSTS for HTTPS), so this page has no way through. Experts can remove the pin in <em>Settings › SRP devices</em>; you will have to type the device address there.</p>' +
          '<p><a href="#" data-action="open-pin-settings">Open Settings › SRP devices</a></p></details></div>';
      }
      case 'pin-settings': {
        const row = m.pinned
          ? '<li class="pin-row"><div class="pin-main"><span class="pin-ic">' + I.mutualkey + '</span><div><strong>' + host + '</strong> · ' + dev +
            '<div class="muted small">User ' + user + ' · pinned since ' + esc(DEV.pinnedSince) + ' · port ' + DEV.srpPort + '</div></div></div>' +
            (m.pinRemoval ? '' : '<button type="button" class="secondary" data-action="pin-remove-start" aria-label="Remove pin for ' + host + '">Remove pin</button>') + '</li>'
          : '<li class="pin-row removed" role="status">The SRP pin for <strong>' + host + '</strong> was removed. It will be treated like any other address: the usual warnings apply.</li>';
        const confirm = (m.pinned && m.pinRemoval) ?
          '<form class="pin-confirm" data-form="pin-remove" novalidate><p>' + I.warn + ' Removing the pin lets ' + host + ' connect without proving your password. Only do this if you reset the device yourself.</p>' +
          '<label for="pin-type">Type <strong>' + host + '</strong> to confirm</label><input id="pin-type" autocomplete="off" spellcheck="false">' +
          '<p class="err" id="pin-err" role="alert"></p>' +
          '<div class="actions"><button type="button" class="secondary" data-action="pin-remove-cancel">Cancel</button><button type="submit" class="danger-btn">Remove pin</button></div></form>' : '';
        return '<div class="page settings"><h1>' + I.gear + ' SRP devices</h1>' +
          '<p class="muted">Devices that signed you in with TLS-SRP. The browser refuses to connect to them without TLS-SRP.</p>' +
          '<ul class="pin-list">' + row + '</ul>' + confirm +
          (m.pinned ? '' : '<p><button type="button" class="primary" data-action="pin-goto">Open ' + host + '</button></p>') + '</div>';
      }
      case 'transition-detect':
        return '<div class="page devpage"><div class="dev-top"><span class="dev-logo">' + I.device + '</span><h1>Router</h1></div>' +
          '<div class="transition-box"><h2>Secure sign-in available</h2>' +
          '<p>Your browser supports TLS-SRP. This router is taking you to its secure sign-in at <strong>https://' + host + ':' + DEV.srpPort + '/</strong>, where your browser will ask for the password.</p>' +
          '<div class="progress" aria-hidden="true"><span></span></div>' +
          '<p><button type="button" class="primary" data-action="transition-continue">Continue to secure sign-in</button></p></div>' +
          '<p class="muted small">Port 80 serves no login form to this browser: the request carried <code>Sec-TLS-SRP: ?1</code>, so the device answered with this page and a redirect to port ' + DEV.srpPort + '.</p></div>';
      case 'transition-legacy':
        return '<div class="page devpage legacy"><div class="dev-top"><span class="dev-logo">' + I.device + '</span><h1>Router login</h1></div>' +
          '<p class="legacy-banner" role="note">' + I.info + '<span>Your browser does not support TLS-SRP, so this router offers its old login form. A browser with TLS-SRP signs in without sending the password.</span></p>' +
          '<form class="legacy-form" onsubmit="return false"><label for="lg-user">Username</label><input id="lg-user" autocomplete="off">' +
          '<label for="lg-pass">Password</label><input id="lg-pass" type="password" autocomplete="off">' +
          '<p class="field-warn" role="note">' + I.warn + '<span>Your browser: this page is not secure. A password typed here can be read on the network.</span></p>' +
          '<button type="submit" class="primary">Log in</button></form>' +
          '<p class="muted small">The request had no <code>Sec-TLS-SRP</code> header, so port 80 redirected to <code>/login</code>.</p></div>';
      case 'spoof':
        return '<div class="page spoofpage"><div class="fake-bar" aria-hidden="true"><span class="fake-chip">' + I.mutualkey + ' admin · Verified</span><span class="fake-url">https://192.168.1.1:8443</span></div>' +
          '<div class="fake-dialog"><h2>Sign in to 192.168.1.1:8443</h2><p>Your password also proves this is the device you set it on.</p>' +
          '<label for="sp-user">Username</label><input id="sp-user" value="admin"><label for="sp-pass">Password</label><input id="sp-pass" type="password">' +
          '<button type="button" class="primary">Sign in</button></div>' +
          '<p class="spoof-caption">A page imitating the chip and the credential window. Both sit below the toolbar, the real address bar says <strong>Not secure · router-login.example</strong>, and the page cannot know the name you gave your device.</p></div>';
      case 'compare':
        return '<div class="page compare"><h1>What the address bar says</h1><table class="cmp"><caption class="visually-hidden">Address-bar indicators compared</caption>' +
          '<thead><tr><th scope="col">Connection</th><th scope="col">Indicator</th><th scope="col">What it tells the user</th></tr></thead><tbody>' +
          cmpRow('Plain HTTP', 'http', 'Anyone on the network can read and change this page, and any password typed into it.') +
          cmpRow('Certificate TLS (CA)', 'cert', 'Encrypted to whoever holds a certificate for this name. Says nothing about your account; since Chrome 117 a neutral “tune” icon, not a lock.') +
          cmpRow('TLS-SRP, padlock variant', 'srp-lock', 'A different padlock: “special secure connection”. Users must learn what violet + SRP means.') +
          cmpRow('TLS-SRP, identity chip', 'srp-chip', 'You are signed in as admin on the device you named “Home router”, and that device proved it knows your password.') +
          '</tbody></table></div>';
    }
    return '<div class="page"></div>';
  }
  function cmpRow(name, kind, text) {
    let ind;
    if (kind === 'srp-lock') ind = indicatorHTML('srp', 'padlock', DEV.username);
    else if (kind === 'srp-chip') ind = indicatorHTML('srp', 'chip', DEV.username);
    else ind = indicatorHTML(kind, 'chip', DEV.username);
    const url = kind === 'cert' ? 'https://www.example.org' : kind === 'http' ? DEV.host : 'https://' + DEV.host + ':' + DEV.srpPort;
    return '<tr><th scope="row">' + esc(name) + '</th><td><div class="omnibox demo"><span class="indicator ' + ind.cls + '">' + ind.html +
      '</span><span class="url">' + esc(url) + '</span></div></td><td>' + esc(text) + '</td></tr>';
  }

  /* ---------- rendering: site-information panel ---------- */
  function siteInfoHTML() {
    const close = '<button type="button" class="iconbtn bubble-x" data-action="panel-close" aria-label="Close site information">' + I.close + '</button>';
    if ((m.security === 'srp' || m.security === 'srp-weak') && report) {
      const r = report;
      const weak = m.security === 'srp-weak';
      const host = esc(DEV.host + ':' + DEV.srpPort);
      const rows = [
        ['Account', esc(r.srp_username)],
        ['Device', host + ' <span class="muted">“' + esc(DEV.petname) + '”</span> ' +
          (m.renaming ? '' : '<button type="button" class="linkish" data-action="rename-open" id="rename-open" aria-label="Rename this device">Rename</button>')],
        ['Since', esc(fmtTime(m.since))],
        ['SRP group', esc(r.group_bits) + '-bit' + (weak ? ' <span class="warn-text">below the 2048-bit minimum</span>' : '')],
        ['Protocol', esc(r.tls_version)],
        ['Cipher suite', '<code>' + esc(r.cipher_suite) + '</code>'],
        ['Handshake', esc(Math.round(Number(r.handshake_seconds) * 1000)) + ' ms · ' + esc(r.attempts) + ' attempt' + (r.attempts === 1 ? '' : 's')]
      ];
      const logout = m.logoutOpen
        ? '<form class="logout-box" data-form="logout" novalidate aria-label="Log out of this device">' +
          '<fieldset><legend>Forget the password and sign out, then:</legend>' +
          '<label class="radio"><input type="radio" name="after" value="reload" checked> Reload this tab</label>' +
          '<label class="radio"><input type="radio" name="after" value="close"> Close the 2 tabs of ' + esc(DEV.host) + '</label></fieldset>' +
          '<div class="actions"><button type="button" class="secondary" data-action="logout-cancel">Cancel</button><button type="submit" class="danger-btn" id="logout-confirm">Log out</button></div></form>'
        : '<div class="actions"><button type="button" class="danger-btn" data-action="logout-open" id="logout-open">Log out of this device…</button></div>';
      return '<div class="bubble-head ' + (weak ? 'weak' : 'ok') + '">' + (m.variant === 'padlock' ? I.srplock : I.mutualkey) +
        '<h2 id="siteinfo-title">' + (weak ? 'Signed in, over a weak group' : 'Signed in with your password') + '</h2>' + close + '</div>' +
        '<p class="bubble-lead">' + esc(DEV.host) + ' proved it knows the password for <strong>' + esc(r.srp_username) + '</strong>, and your browser proved it too. The password was never sent. No certificate is involved.</p>' +
        '<dl class="facts">' + rows.map((x) => '<dt>' + x[0] + '</dt><dd>' + x[1] + '</dd>').join('') + '</dl>' +
        (m.renaming ? '<form class="rename-box" data-form="rename" novalidate><label for="rename-input">Name shown in the address bar for ' + esc(DEV.host) + '</label>' +
          '<input id="rename-input" maxlength="40" autocomplete="off" value="' + esc(DEV.petname) + '">' +
          '<p class="muted small">Only your browser knows this name: pages and the device never see it, so a look-alike cannot copy it.</p>' +
          '<div class="actions"><button type="button" class="secondary" data-action="rename-cancel">Cancel</button><button type="submit" class="primary">Save</button></div></form>' : '') +
        '<p class="pin-note">' + I.shieldkey + '<span>' + (m.pinned ? 'SRP pinned: this browser will refuse ' + esc(DEV.host) + ' if it ever stops using TLS-SRP.' : 'Not pinned: a device with a weak group is not remembered.') +
          ' ' + (m.remembered ? 'Your password is remembered for this device.' : 'Your password is not stored: the next connection asks again.') + '</span></p>' +
        logout +
        '<p class="bubble-links"><a href="#" data-action="open-pin-settings">SRP devices settings</a> · <span class="muted">report from ' + esc(r.backend) + '</span></p>';
    }
    const msgs = {
      'http': ['Not secure', 'This page reached you over plain HTTP. Do not type passwords into it.'],
      'cert': ['Connection is secure', 'Encrypted with a certificate issued for www.example.org.'],
      'cert-error': ['Not secure', 'The certificate of this device is not trusted, and it offers no TLS-SRP.'],
      'blocked': ['Connection blocked', 'Your browser stopped this connection; see the page for why.'],
      'connecting': ['Sign-in needed', 'This device asks for TLS-SRP. The page has not loaded.'],
      'signed-out': ['Not signed in to ' + DEV.host, 'The browser holds no password and no session for this device.'],
      'internal': ['Browser page', 'This page is part of your browser.']
    }[m.security] || ['Site information', ''];
    return '<div class="bubble-head">' + I.info + '<h2 id="siteinfo-title">' + esc(msgs[0]) + '</h2>' + close + '</div>' +
      '<p class="bubble-lead">' + esc(msgs[1]) + '</p>' +
      (reportError && m.signedIn ? '<p class="err">' + esc(reportError) + '</p>' : '');
  }

  /* ---------- rendering: credential window ---------- */
  function credHTML() {
    const d = m.dialog;
    const locked = d.mode === 'locked';
    let err = '';
    if (d.mode === 'wrong') err = 'The device did not accept this password for ' + esc(d.username) + '. ' +
      d.attemptsLeft + (d.attemptsLeft === 1 ? ' attempt' : ' attempts') + ' left.';
    if (d.mode === 'refused') err = 'The device does not know the user “' + esc(d.username) + '”. Check the username. No password was used.';
    if (locked) err = 'Sign-in paused after ' + MAX_ATTEMPTS + ' wrong passwords. You can try again in ' + LOCK_MINUTES +
      ' minutes. Forgot it? Reset the password on the device (see its manual).';
    const dis = locked ? ' disabled' : '';
    return '<div class="cred-head">' + I.shieldkey + '<div><h2 id="cred-title">Sign in to ' + esc(DEV.host) + ':' + DEV.srpPort + '</h2>' +
      '<p id="cred-desc">Your password also proves this is the device you set it on. It is never sent.</p></div></div>' +
      '<form id="cred-form" data-form="cred" novalidate' + (locked ? ' class="locked"' : '') + '>' +
      (err ? '<p class="err' + (locked ? ' locked' : '') + '" id="cred-err" role="alert">' + (locked ? I.block : I.warn) + '<span>' + err + '</span></p>' : '') +
      '<label for="cred-user">Username</label>' +
      '<input id="cred-user" name="username" autocomplete="username" spellcheck="false" value="' + esc(d.username || '') + '"' + dis +
      (d.mode === 'refused' ? ' aria-invalid="true" aria-describedby="cred-err"' : '') + '>' +
      '<label for="cred-pass">Password</label>' +
      '<input id="cred-pass" name="password" type="password" autocomplete="current-password"' + dis +
      (d.mode === 'wrong' ? ' aria-invalid="true" aria-describedby="cred-err"' : '') + '>' +
      '<label class="check"><input type="checkbox" id="cred-remember" name="remember"' + (d.remember === false ? '' : ' checked') + dis + '> Remember for this device</label>' +
      '<div class="actions">' + (locked
        ? '<button type="button" class="primary" data-action="cred-cancel" id="cred-close">Close</button>'
        : '<button type="button" class="secondary" data-action="cred-cancel" id="cred-cancel">Cancel</button><button type="submit" class="primary" id="cred-submit">Sign in</button>') +
      '</div></form>' +
      '<p class="cred-foot">' + I.info + '<span>Asked by your browser before the page loads · TLS-SRP</span></p>';
  }

  /* ---------- placement ---------- */
  function place(el) {
    const win = $('#window').getBoundingClientRect();
    const ind = $('#indicator').getBoundingClientRect();
    const tb = $('.toolbar').getBoundingClientRect();
    const phone = win.width < 600;
    el.style.top = Math.round(tb.bottom - win.top - 6) + 'px';
    if (phone) {
      el.style.left = '8px'; el.style.right = '8px'; el.style.width = 'auto';
    } else {
      el.style.right = 'auto'; el.style.width = '';
      el.style.left = Math.max(8, Math.round(ind.left - win.left - 14)) + 'px';
    }
    el.style.setProperty('--arrow-x', Math.round(ind.left - win.left + Math.min(ind.width / 2, 16) - parseFloat(el.style.left)) + 'px');
  }

  /* ---------- focus handling ---------- */
  const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  function focusables(root) {
    return Array.from(root.querySelectorAll(FOCUSABLE)).filter((e) => !e.closest('[hidden]') && e.getClientRects().length);
  }

  function render(opts) {
    renderChrome();
    $('#content').innerHTML = pageHTML();
    $('#content').setAttribute('aria-label', 'Page content');
    const note = STATES.find((s) => s.id === m.state);
    $('#note').innerHTML = note ? '<strong>' + esc(note.title) + '.</strong> ' + esc(note.note) +
      (reportError ? ' <span class="err">' + esc(reportError) + '</span>' : '') : '';
    document.title = (note ? note.title + ' – ' : '') + 'TLS-SRP browser mockup';
    document.documentElement.dataset.state = m.state;

    const si = $('#siteinfo');
    si.innerHTML = siteInfoHTML();
    si.hidden = !m.panel;
    const cw = $('#credwin');
    if (m.dialog) { cw.innerHTML = credHTML(); cw.hidden = false; cw.dataset.mode = m.dialog.mode; }
    else { cw.innerHTML = ''; cw.hidden = true; delete cw.dataset.mode; }
    $('#scrim').hidden = !m.dialog;
    $('#scrim').style.top = Math.round($('#chrome').getBoundingClientRect().bottom - $('#window').getBoundingClientRect().top) + 'px';
    $('#chrome').inert = !!m.dialog;
    $('#content').inert = !!m.dialog;
    $('#note').inert = !!m.dialog;
    if (m.dialog) place(cw);
    if (m.panel) place(si);

    const t = $('#toast');
    t.textContent = m.toast === 'closed' ? 'Logged out of ' + DEV.host + ': password forgotten, 2 tabs closed.' : '';
    t.classList.toggle('show', !!m.toast);

    if (opts.focus !== false) {
      if (m.dialog) {
        const d = m.dialog;
        const target = d.mode === 'locked' ? '#cred-close' : d.mode === 'wrong' ? '#cred-pass' :
          d.mode === 'refused' ? '#cred-user' : (d.username ? '#cred-pass' : '#cred-user');
        const el = $(target);
        if (el) el.focus();
      } else if (m.panel) {
        const sel = opts.focusSel || (m.logoutOpen ? '.logout-box input[type=radio]' : m.renaming ? '#rename-input' : null);
        const el = sel ? $(sel) : si;
        if (el) el.focus();
      } else if (opts.focusSel) {
        const el = $(opts.focusSel);
        if (el) el.focus();
      }
    }
  }

  /* ---------- behaviour ---------- */
  function signIn(form) {
    const user = form.username.value.trim();
    const pass = form.password.value;
    const remember = form.remember.checked;
    form.password.value = '';
    if (!user) { $('#cred-user').focus(); return; }
    if (user !== DEV.username) {
      go('username-refused', { dialog: { mode: 'refused', username: user, remember } });
      return;
    }
    if (pass !== DEMO_PASSWORD) {
      wrongCount += 1;
      if (wrongCount >= MAX_ATTEMPTS) go('locked', { dialog: { mode: 'locked', username: user } });
      else {
        const left = MAX_ATTEMPTS - wrongCount;
        const keep = wrongCount;
        go('wrong-password', { dialog: { mode: 'wrong', attemptsLeft: left, username: user, remember } });
        wrongCount = keep;
      }
      return;
    }
    wrongCount = 0;
    if (params.get('group') && Number(params.get('group')) < 2048) { go('weak-group'); return; }
    // Every sign-in with an acceptable group pins the device (like HSTS, no secret is stored);
    // "Remember" only decides whether the browser keeps the password for the next connection.
    go('srp-connected', { since: new Date().toISOString(), pinned: true, remembered: remember });
  }

  document.addEventListener('submit', (e) => {
    const f = e.target;
    e.preventDefault();
    if (f.dataset.form === 'cred') { if (m.dialog && m.dialog.mode !== 'locked') signIn(f); }
    else if (f.dataset.form === 'logout') {
      const after = f.after.value;
      report = null;
      if (after === 'close') go('logged-out-closed');
      else go('logged-out', {}, { focusSel: '[data-action="signin-again"]' });
    } else if (f.dataset.form === 'rename') {
      const v = $('#rename-input').value.trim().slice(0, 40);
      DEV.petname = v || DEV.host;
      m.renaming = false;
      render({ focusSel: '#rename-open' });
    } else if (f.dataset.form === 'pin-remove') {
      const v = $('#pin-type').value.trim();
      if (v !== DEV.host) { $('#pin-err').textContent = 'That is not ' + DEV.host + '. The pin was not removed.'; $('#pin-type').focus(); return; }
      const after = m.afterPin;
      go('pin-settings', { pinned: false, afterPin: after }, { focusSel: '[data-action="pin-goto"]' });
    }
  });

  document.addEventListener('click', (e) => {
    const a = e.target.closest('[data-action], #indicator');
    if (!a) return;
    if (a.tagName === 'A') e.preventDefault();
    if (a.id === 'indicator') {
      if (m.dialog) return;
      m.panel = !m.panel; m.logoutOpen = false; m.renaming = false;
      render({ focusSel: m.panel ? null : '#indicator' });
      return;
    }
    switch (a.dataset.action) {
      case 'cred-cancel': go('sign-in-cancelled', {}, { focusSel: '[data-action="signin-again"]' }); break;
      case 'panel-close': m.panel = false; m.logoutOpen = false; render({ focusSel: '#indicator' }); break;
      case 'rename-open': m.renaming = true; m.logoutOpen = false; render({ focusSel: '#rename-input' }); break;
      case 'rename-cancel': m.renaming = false; render({ focusSel: '#rename-open' }); break;
      case 'logout-open': m.logoutOpen = true; render({ focusSel: '.logout-box input[type=radio]' }); break;
      case 'logout-cancel': m.logoutOpen = false; render({ focusSel: '#logout-open' }); break;
      case 'signin-again': go('credential-dialog', { dialog: { mode: 'normal', username: DEV.username } }); break;
      case 'advanced': m.advanced = !m.advanced; render({ focusSel: m.advanced ? '#adv a, #adv button' : '[data-action="advanced"]' }); break;
      case 'weak-proceed': go('weak-group-connected'); break;
      case 'cert-proceed': go('no-srp-cert-proceeded', {}, { focusSel: '#indicator' }); break;
      case 'back-safety': go('new-tab', {}, { focusSel: '#indicator' }); break;
      case 'open-pin-settings': go('pin-settings', { afterPin: m.afterPin }, { focusSel: '[data-action="pin-remove-start"]' }); break;
      case 'pin-remove-start': m.pinRemoval = 1; render({ focusSel: '#pin-type' }); break;
      case 'pin-remove-cancel': m.pinRemoval = 0; render({ focusSel: '[data-action="pin-remove-start"]' }); break;
      case 'pin-goto': go(m.afterPin || 'no-srp-http', {}, { focusSel: '#indicator' }); break;
      case 'transition-continue': go('credential-dialog'); break;
    }
  });

  document.addEventListener('keydown', (e) => {
    if (m.dialog) {
      const cw = $('#credwin');
      if (e.key === 'Escape') { e.preventDefault(); const c = cw.querySelector('[data-action="cred-cancel"]'); if (c) c.click(); return; }
      if (e.key === 'Tab') {
        const f = focusables(cw);
        if (!f.length) { e.preventDefault(); return; }
        const i = f.indexOf(document.activeElement);
        let n;
        if (i < 0) n = e.shiftKey ? f.length - 1 : 0;
        else n = (i + (e.shiftKey ? -1 : 1) + f.length) % f.length;
        e.preventDefault();
        f[n].focus();
      }
      return;
    }
    if (m.panel && e.key === 'Escape') {
      e.preventDefault(); m.panel = false; m.logoutOpen = false; render({ focusSel: '#indicator' });
    }
  });
  /* focus that somehow lands outside an open modal dialog is pulled back */
  document.addEventListener('focusin', (e) => {
    if (m && m.dialog && !$('#credwin').contains(e.target)) {
      const f = focusables($('#credwin'));
      if (f.length) f[0].focus();
    }
  });
  /* a click outside the site-information panel closes it */
  document.addEventListener('mousedown', (e) => {
    if (m && m.dialog && !$('#credwin').contains(e.target)) { e.preventDefault(); return; }
    if (m && m.panel && !$('#siteinfo').contains(e.target) && !e.target.closest('#indicator')) {
      m.panel = false; m.logoutOpen = false; render({ focus: false });
    }
  });
  window.addEventListener('resize', () => { if (m && m.dialog) place($('#credwin')); if (m && m.panel) place($('#siteinfo')); });

  /* ---------- start ---------- */
  loadReport().then(() => {
    go(params.get('state') || 'credential-dialog');
    document.documentElement.dataset.ready = '1';
  });
  globalThis.__mockup = { get model() { return m; }, get report() { return report; }, states: STATES };
})();

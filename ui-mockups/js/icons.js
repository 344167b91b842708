/* Inline SVG icons (24x24 grid, drawn with currentColor). */
globalThis.ICONS = (function () {
  const svg = (body, extra) =>
    '<svg class="ic' + (extra ? ' ' + extra : '') + '" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' + body + '</svg>';
  const s = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"';
  return {
    back: svg('<path ' + s + ' d="M19 12H5M11 6l-6 6 6 6"/>'),
    forward: svg('<path ' + s + ' d="M5 12h14M13 6l6 6-6 6"/>'),
    reload: svg('<path ' + s + ' d="M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7"/>'),
    menu: svg('<circle cx="12" cy="5" r="1.8" fill="currentColor"/><circle cx="12" cy="12" r="1.8" fill="currentColor"/><circle cx="12" cy="19" r="1.8" fill="currentColor"/>'),
    close: svg('<path ' + s + ' d="M6 6l12 12M18 6L6 18"/>'),
    /* Chrome 117's "tune" icon: two sliders */
    tune: svg('<path ' + s + ' d="M4 8h9M17 8h3M4 16h3M11 16h9"/><circle ' + s + ' cx="15" cy="8" r="2"/><circle ' + s + ' cx="9" cy="16" r="2"/>'),
    warn: svg('<path fill="currentColor" d="M12 2.5 1.5 21h21L12 2.5zm-1 6.5h2v6h-2V9zm0 8h2v2h-2v-2z"/>'),
    lock: svg('<rect ' + s + ' x="5" y="10.5" width="14" height="10" rx="2"/><path ' + s + ' d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/>'),
    /* SRP padlock: solid body with a key-hole, distinct shape (rounded shackle, filled body) */
    srplock: svg('<path fill="none" stroke="currentColor" stroke-width="2.4" d="M7.5 11V7.5a4.5 4.5 0 0 1 9 0V11"/><rect x="4" y="10" width="16" height="11.5" rx="3" fill="currentColor"/><circle cx="12" cy="14.6" r="1.9" fill="var(--lock-hole, #fff)"/><rect x="11.1" y="15.5" width="1.8" height="3.6" rx=".9" fill="var(--lock-hole, #fff)"/>'),
    /* key inside a two-way handshake mark: "we both proved the password" */
    mutualkey: svg('<circle ' + s + ' cx="8" cy="12" r="3.5"/><path ' + s + ' d="M11.5 12H21M18 12v3M15 12v2"/>'),
    keyoff: svg('<circle ' + s + ' cx="8" cy="12" r="3.5"/><path ' + s + ' d="M11.5 12H21M18 12v3M3 3l18 18"/>'),
    shield: svg('<path ' + s + ' d="M12 2.8 4 6v6c0 4.6 3.4 8.3 8 9.3 4.6-1 8-4.7 8-9.3V6l-8-3.2z"/>'),
    shieldkey: svg('<path ' + s + ' d="M12 2.8 4 6v6c0 4.6 3.4 8.3 8 9.3 4.6-1 8-4.7 8-9.3V6l-8-3.2z"/><circle ' + s + ' cx="10" cy="11" r="2"/><path ' + s + ' d="M12 11h4.5M15 11v2"/>'),
    block: svg('<circle ' + s + ' cx="12" cy="12" r="9"/><path ' + s + ' d="M5.6 5.6l12.8 12.8"/>'),
    device: svg('<rect ' + s + ' x="3" y="13" width="18" height="7" rx="1.5"/><path ' + s + ' d="M7 16.5h.01M11 16.5h.01M8 9.5a6 6 0 0 1 8 0M5.5 7a9.5 9.5 0 0 1 13 0"/>'),
    gear: svg('<circle ' + s + ' cx="12" cy="12" r="3"/><path ' + s + ' d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"/>'),
    info: svg('<circle ' + s + ' cx="12" cy="12" r="9"/><path ' + s + ' d="M12 11v6M12 7.5v.01"/>'),
    globe: svg('<circle ' + s + ' cx="12" cy="12" r="9"/><path ' + s + ' d="M3 12h18M12 3c2.5 2.7 3.5 5.7 3.5 9s-1 6.3-3.5 9c-2.5-2.7-3.5-5.7-3.5-9s1-6.3 3.5-9z"/>'),
    tabs: svg('<rect ' + s + ' x="4" y="4" width="16" height="16" rx="3"/>')
  };
})();

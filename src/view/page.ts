/**
 * The view's page: HTML, a little CSS for its frame, and one script, all in this module, so the
 * published package serves it from dist as it is: no bundler at run time, no file to find beside
 * the bundle, nothing fetched from anywhere but the view's own server.
 */
import { PAGE_SCRIPT } from './page-script.js';

/** The page, its script and style allowed by `nonce` (the Content-Security-Policy names it). */
export function viewPage(nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>utilbot-gateway session</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header><h1>utilbot-gateway session</h1><span id="live" class="off">connecting…</span></header>
<div id="view"></div>
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The page's frame only: the view styles itself (draw.ts), as it does in an app's page. */
const STYLE = `
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; background: #f6f7f9; color: #1d232b; }
header { display: flex; align-items: baseline; gap: 1em; padding: 8px 16px; background: #1d232b; color: #fff; }
h1 { font-size: 15px; margin: 0; }
#live { font-size: 12px; } #live.on { color: #7ee2a8; } #live.off { color: #f5a97f; }
#view { padding: 10px; }
`;

// Electron hardening that does not depend on which project is open: the CSP, who may navigate where,
// and which IPC senders are ours. Everything here is deny-by-default.
import type { BrowserWindow, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { APP_SCHEME, MEDIA_SCHEME } from '../../shared/transport';

/** The renderer's origin. `app` is registered as a standard scheme, so it has a real host. */
export const APP_HOST = 'storyreel';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Sent as a response header for everything served from app://. It matches the renderer's <meta> CSP
 * (renderer/index.html) minus `ws:`/`wss:`: the desktop app talks to the core over IPC, never a socket.
 * Both policies apply, so the stricter of the two wins wherever they differ.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${MEDIA_SCHEME}:`,
  `media-src 'self' blob: ${MEDIA_SCHEME}:`,
  `connect-src 'self' ${MEDIA_SCHEME}:`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parseAppUrl(url: string): URL | undefined {
  try {
    const u = new URL(url);
    // Node's URL reports origin "null" for custom schemes, so compare scheme and host instead.
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST ? u : undefined;
  } catch {
    return undefined;
  }
}

export function isAppUrl(url: string): boolean {
  return parseAppUrl(url) !== undefined;
}

/** Only a reload of the page we loaded ourselves counts as navigation we allow. */
function isSameAppPage(target: string, current: string): boolean {
  const a = parseAppUrl(target);
  const b = parseAppUrl(current);
  return !!a && !!b && a.pathname === b.pathname;
}

/**
 * Applied to every WebContents the app ever creates (from app.on('web-contents-created')), so a page
 * cannot escape by opening a window, navigating, redirecting, or attaching a <webview>.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isSameAppPage(url, contents.getURL())) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Camera, microphone, notifications, geolocation, …: the studio needs none of them. The one exception is
 * writing plain text to the clipboard from our own page (e.g. "copy the ffmpeg command line").
 */
export function denyPermissions(ses: Session): void {
  const allowed = (permission: string, origin: string) => permission === 'clipboard-sanitized-write' && isAppUrl(origin);
  ses.setPermissionRequestHandler((contents, permission, callback) => callback(allowed(permission, contents.getURL())));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
}

/**
 * An IPC call is ours when it comes from the main frame of our window while that frame shows the app://
 * page. Calls from subframes, other windows, or the window after it somehow left app:// are refused.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | undefined): boolean {
  if (!win || win.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (event.sender !== win.webContents) return false;
  const main = win.webContents.mainFrame;
  if (frame.frameTreeNodeId !== main.frameTreeNodeId || frame.processId !== main.processId) return false;
  return frame.url.startsWith(`${APP_SCHEME}://`) && isAppUrl(frame.url);
}

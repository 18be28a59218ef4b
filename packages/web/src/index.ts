/**
 * For the server, which serves the built UI at `/`: where `vite build` writes it. (The UI itself
 * starts at `main.tsx`; nothing here runs in the browser.)
 */
export const WEB_DIST_URL: URL = new URL("../dist/", import.meta.url);

/** The file the server answers `/` with; deep links use the hash (`/#/worklists`), so no fallback route is needed. */
export const WEB_INDEX_FILE = "index.html";

/**
 * The HTML report in a real browser: headless Chromium (Debian's chromium
 * package) loads each fixture's report from a file:// URL, its DOM must hold
 * the timeline SVG with the downtime gap's rectangle, and its screenshot must
 * be a real picture (the right size, many colours, the gap's red and the
 * answered probes' green among them). The HTML and the screenshots are kept
 * under test-artifacts/report/ for a person to look at.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { renderHtml } from '../../src/report/html.js';
import { loadReport } from '../../src/report/load.js';

const repo = process.cwd();
const artifacts = join(repo, 'test-artifacts', 'report');
const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
const W = 1200;
const H = 900;

/** Runs headless Chromium with a fresh profile and nothing that reaches the network. */
function chromium(args: string[]) {
  const profile = mkdtempSync(join(tmpdir(), 'ka2pcmk-chromium-'));
  try {
    return spawnSync(
      browser!,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Decodes an 8-bit RGB or RGBA PNG into RGBA pixels (enough for Chromium's screenshots). */
function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8;
  let width = 0;
  let height = 0;
  let type = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const kind = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      type = data[9];
    } else if (kind === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const bpp = type === 6 ? 4 : type === 2 ? 3 : 0;
  expect(bpp).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp] : 0;
      const b = prev[x];
      const c = x >= bpp ? prev[x - bpp] : 0;
      const p = a + b - c;
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      cur[x] = (line[x] + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      out.set([cur[x * bpp], cur[x * bpp + 1], cur[x * bpp + 2], bpp === 4 ? cur[x * bpp + 3] : 255], (y * width + x) * 4);
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

const near = (px: Uint8Array, k: number, [r, g, b]: number[], tol = 24) => Math.abs(px[k] - r) <= tol && Math.abs(px[k + 1] - g) <= tol && Math.abs(px[k + 2] - b) <= tol;

const run = browser ? describe : describe.skip;
if (!browser) console.warn('report-chromium: no chromium here (apt-get install -y chromium): skipped');

run('HTML report in headless Chromium', () => {
  beforeAll(() => {
    mkdirSync(artifacts, { recursive: true });
  });

  it.each(['failed', 'pair'])('%s: the DOM holds the timeline with its gap, and the screenshot shows it', (name) => {
    const html = renderHtml(loadReport(join(repo, 'fixtures', 'report', name), `fixtures/report/${name}`));
    const file = join(artifacts, `${name}.html`);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;

    const dom = chromium(['--dump-dom', url]);
    expect(dom.status).toBe(0);
    expect(dom.stdout).toMatch(/<svg [^>]*class="timeline"[^>]*id="all"/);
    expect(dom.stdout).toMatch(/<rect id="all-gap-0" [^>]*class="gap"/);
    expect(dom.stdout).toContain('<h2>Fidelity ledger</h2>');

    const png = join(artifacts, `${name}.png`);
    rmSync(png, { force: true });
    const shot = chromium([`--screenshot=${png}`, `--window-size=${W},${H}`, url]);
    expect(shot.status).toBe(0);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([W, H]);
    const colours = new Set<number>();
    let red = 0;
    let green = 0;
    let blue = 0;
    for (let k = 0; k < img.rgba.length; k += 4) {
      colours.add((img.rgba[k] << 16) | (img.rgba[k + 1] << 8) | img.rgba[k + 2]);
      if (near(img.rgba, k, [214, 39, 40])) red++;
      if (near(img.rgba, k, [44, 160, 44])) green++;
      if (near(img.rgba, k, [59, 130, 196])) blue++;
    }
    // Not one colour, and the timeline's own colours are on screen: lost probes and gaps (red), answers (green), steps (blue).
    expect(colours.size).toBeGreaterThan(50);
    expect(red).toBeGreaterThan(30);
    expect(green).toBeGreaterThan(500);
    expect(blue).toBeGreaterThan(500);
  }, 200_000);
});

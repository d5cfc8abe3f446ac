// format.js — times in China Standard Time (UTC+8, no daylight saving), money from fen as yuan.
import { t } from './i18n.js';

const CST = 8 * 3600 * 1000;

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

// An ISO 8601 instant (any offset) or epoch seconds -> "2026-03-02 09:00" in CST. Unparsable: as given.
export function cst(value, { seconds = false } = {}) {
  if (value === null || value === undefined || value === '') return '—';
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  const d = new Date(ms + CST);
  let out = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (seconds) out += ':' + pad(d.getUTCSeconds());
  return out;
}

// Today's date in CST as YYYY-MM-DD.
export function todayCst(now = Date.now()) {
  const d = new Date(now + CST);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// The start of a CST day as ISO 8601 with its offset.
export function dayStartIso(day) {
  return `${day}T00:00:00+08:00`;
}

// Integer fen -> "¥1,234.56" (exact: no floating point on the amount).
export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '—';
  let n;
  try {
    n = BigInt(fen);
  } catch {
    return String(fen);
  }
  const neg = n < 0n;
  if (neg) n = -n;
  const whole = (n / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (n % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}¥${whole}.${cents}`;
}

// Seconds -> "3d 4h" / "3天4小时".
export function duration(sec) {
  if (sec === null || sec === undefined) return '—';
  sec = Math.max(0, Math.floor(Number(sec)));
  const d = Math.floor(sec / 86400), hh = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60);
  if (d > 0) return t('dur.dh', { d, h: hh });
  if (hh > 0) return t('dur.hm', { h: hh, m });
  return t('dur.m', { m });
}

export function count(n) {
  if (n === null || n === undefined) return '—';
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

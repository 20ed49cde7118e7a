// docs/providers.md §10 is the price table people read; shared/pricing.ts's PRICING is the one the estimates
// use. They are the same table: every row here is read from the doc and held equal to PRICING, both ways,
// so a price changed in one place and not the other fails.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICING } from '../../../shared/pricing';

const DOC = path.join(path.resolve(__dirname, '..', '..', '..'), 'docs/providers.md');

interface Row {
  provider: string;
  tier: string;
  audioOff: number;
  audioOn: number;
  voiceControl: number;
  asOf: string;
  source: string;
  uncertain: boolean;
}

/** The first table under "## 10. Prices", one Row per line. */
function docRows(): Row[] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('\n## 10. Prices');
  expect(start, 'docs/providers.md has a "## 10. Prices" section').toBeGreaterThan(0);
  const section = text.slice(start + 1).split(/\n## /)[0];
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const [header, rule, ...body] = lines;
  expect(header.split('|').map((c) => c.trim()).filter(Boolean)).toEqual(['provider', 'tier', 'audio off', 'audio on', 'audio + voices', 'as of', 'source', 'note']);
  expect(rule).toMatch(/^\|(---\|)+$/);
  return body.map((line) => {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const number = (cell: string) => {
      expect(cell, `a price in "${line}"`).toMatch(/^\d+(\.\d+)?$/);
      return Number(cell);
    };
    return {
      provider: cells[0].replace(/`/g, ''),
      tier: cells[1],
      audioOff: number(cells[2]),
      audioOn: number(cells[3]),
      voiceControl: number(cells[4]),
      asOf: cells[5],
      source: cells[6],
      uncertain: /\buncertain\b/.test(cells[7]),
    };
  });
}

function pricingRows(): Row[] {
  return Object.entries(PRICING).flatMap(([provider, table]) =>
    Object.entries(table).map(([tier, card]) => ({
      provider,
      tier,
      audioOff: card!.audioOff,
      audioOn: card!.audioOn,
      voiceControl: card!.voiceControl,
      asOf: card!.asOf,
      source: card!.source,
      uncertain: Boolean(card!.uncertain),
    })),
  );
}

const key = (r: Row) => `${r.provider} ${r.tier}`;

describe('docs/providers.md §10 is PRICING', () => {
  it('has one row per provider × tier in PRICING, with the same figures, date, source and uncertainty', () => {
    const doc = docRows();
    const code = pricingRows();
    expect(doc.map(key).sort()).toEqual(code.map(key).sort());
    expect(new Set(doc.map(key)).size).toBe(doc.length);
    for (const row of code) expect(doc.find((d) => key(d) === key(row)), key(row)).toEqual(row);
  });

  it('the per-provider price sections point at the table instead of repeating figures', () => {
    const text = readFileSync(DOC, 'utf8');
    for (const heading of ['### 2.10 Prices', '### 3.7 Prices', '### 4.7 Prices', '### 5.9 Prices']) {
      const at = text.indexOf(heading);
      expect(at, heading).toBeGreaterThan(0);
      const body = text.slice(at + heading.length).split(/\n##/)[0];
      expect(body, heading).toContain('§10');
      expect(body, `${heading} repeats a price`).not.toMatch(/\$?0\.\d{2,3}\b/);
    }
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStartArgs, sampleLocation } from '../../../scripts/start-plan.mjs';

const home = path.join(path.sep, 'home', 'ada');
const inDocuments = path.join(home, 'Documents', 'Storyreel', 'Lighthouse.storyreel');
const inHome = path.join(home, 'Storyreel', 'Lighthouse.storyreel');

describe('npm start: where the sample goes', () => {
  it('uses ~/Documents/Storyreel when Documents exists, and says so', () => {
    expect(sampleLocation({ home, hasDocuments: true })).toEqual({ dir: inDocuments, why: expect.stringContaining('Documents folder') });
  });

  it('uses ~/Storyreel in a home without Documents, and says why', () => {
    const place = sampleLocation({ home, hasDocuments: false });
    expect(place.dir).toBe(inHome);
    expect(place.why).toContain(`${home} has no Documents folder`);
  });

  it('keeps using an earlier copy, so edits are never split over two copies', () => {
    expect(sampleLocation({ home, hasDocuments: true, existingCopies: [inHome] }).dir).toBe(inHome);
    expect(sampleLocation({ home, hasDocuments: false, existingCopies: [inDocuments] }).dir).toBe(inDocuments);
    expect(sampleLocation({ home, hasDocuments: true, existingCopies: [inHome, inDocuments] }).dir).toBe(inDocuments);
  });
});

describe('npm start: arguments', () => {
  it('takes --port for browser mode and never mistakes the port for a project folder', () => {
    expect(parseStartArgs(['--port', '8080'])).toEqual({ port: '8080', passThrough: [] });
    expect(parseStartArgs(['~/films/a.storyreel', '--port=0'])).toEqual({ project: '~/films/a.storyreel', port: '0', passThrough: ['~/films/a.storyreel'] });
    expect(parseStartArgs(['--inspect', 'x.storyreel'])).toEqual({ project: 'x.storyreel', passThrough: ['--inspect', 'x.storyreel'] });
  });

  it('refuses a port that is not a number, saying nothing was started', () => {
    expect(parseStartArgs(['--port']).error).toMatch(/--port needs a port number .*not nothing\. Nothing was started\./);
    expect(parseStartArgs(['--port', 'abc']).error).toMatch(/not "abc"/);
    expect(parseStartArgs(['--port', '70000']).error).toBeDefined();
  });
});

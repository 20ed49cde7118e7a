// The one parameter table (shared/parameter-map.ts, printed by `storyreel providers --parameters`) must
// agree with the capability table the validator and the inspector read: what a provider cannot take is
// marked unsupported, and what it can take has a wire field.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../../shared/capabilities';
import { PARAMETERS, PARAMETER_MAP, type CloudProvider } from '../../../shared/parameter-map';

const CLOUD: CloudProvider[] = ['fal', 'replicate', 'lumenfall', 'kling'];

describe('parameter map', () => {
  it('names a route for every parameter on every cloud provider', () => {
    for (const param of PARAMETERS) {
      for (const p of CLOUD) {
        const route = PARAMETER_MAP[param][p];
        expect(route, `${param} on ${p}`).toBeDefined();
        expect(route.wire.trim(), `${param} on ${p}`).not.toBe('');
      }
    }
  });

  it('marks unsupported exactly what the capability table says a provider lacks', () => {
    for (const p of CLOUD) {
      const caps = CAPABILITIES[p];
      const supported = (param: (typeof PARAMETERS)[number]) => PARAMETER_MAP[param][p].how !== 'unsupported';
      expect(supported('cfgScale'), `cfg on ${p}`).toBe(caps.cfgScale);
      expect(supported('voices'), `voices on ${p}`).toBe(caps.maxVoices > 0);
      expect(supported('elements'), `elements on ${p}`).toBe(caps.elements !== 'none');
      expect(supported('idempotencyKey'), `idempotency on ${p}`).toBe(caps.idempotency !== 'none');
      expect(supported('shotType'), `shot types on ${p}`).toBe((caps.multiShot?.shotTypes.length ?? 0) > 1);
    }
  });
});

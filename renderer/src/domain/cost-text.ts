// What a take or a job cost, as the ledger has it — one wording for the take cards and the Jobs drawer:
// the provider's charge once known ($0.00 for a request refused before any work), the estimate (~) while
// it is on its way, and no figure for a failure nobody reported a charge for.
import { formatUsd } from '../../../shared/pricing';
import { isStopped } from '../../../shared/job-status';
import type { ProviderId, TakeStatus } from '../../../shared/schema';

export function costText(x: { provider: ProviderId; status: TakeStatus; estimatedUsd: number; actualUsd?: number }): { text: string; title: string } {
  const est = formatUsd(x.estimatedUsd);
  if (x.actualUsd !== undefined) {
    if (x.actualUsd === 0 && x.provider !== 'animatic') {
      return { text: formatUsd(0), title: `Refused before any work: nothing was charged (the estimate was ${est}).` };
    }
    return { text: formatUsd(x.actualUsd), title: `Charged ${formatUsd(x.actualUsd)}, as the provider reported it.` };
  }
  if (x.provider === 'animatic') return { text: 'Free', title: 'Rendered on this computer at no cost.' };
  if (isStopped(x.status)) {
    return { text: 'cost unknown', title: `The provider reported no charge for this job (the estimate was ${est}). Check its dashboard with the job id in Jobs.` };
  }
  return { text: `~${est}`, title: `Estimated ${est} from the provider's price list; the charge shows here once reported.` };
}

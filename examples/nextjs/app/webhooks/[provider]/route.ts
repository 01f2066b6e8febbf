import { liqx } from '../../../lib/liqx';

export const runtime = 'nodejs';

// POST /webhooks/liqx: the handler reads the provider from the path's last segment.
export async function POST(request: Request) {
  return (await liqx()).webhooks(request);
}

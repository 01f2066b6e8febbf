import { liqx } from '../../../lib/liqx';

export const runtime = 'nodejs';

export async function POST(request: Request) {
  return (await liqx()).sessions(request);
}

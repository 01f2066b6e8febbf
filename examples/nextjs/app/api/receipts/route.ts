import { liqx } from '../../../lib/liqx';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  return (await liqx()).receipts(request);
}

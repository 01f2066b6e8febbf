import { Payout } from './payout';

export default function Page() {
  return <Payout />;
}

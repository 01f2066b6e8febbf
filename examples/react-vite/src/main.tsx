import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Payout } from './Payout';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Payout />
  </StrictMode>,
);

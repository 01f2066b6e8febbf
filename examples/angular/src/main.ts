import { bootstrapApplication } from '@angular/platform-browser';
import { PayoutComponent } from './app/payout.component';

bootstrapApplication(PayoutComponent).catch((error) => console.error(error));

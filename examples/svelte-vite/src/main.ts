import { mount } from 'svelte';
import Payout from './Payout.svelte';

mount(Payout, { target: document.getElementById('app')! });

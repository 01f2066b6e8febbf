/**
 * The script-tag build's entry: defines `<liqx-payout-widget>` when loaded by a plain `<script>`.
 * It exports nothing, so the bundle creates no global variable.
 */
import './define.js';

// The bad-link page: shows which address was refused (as text, never as a link).
import { $, params } from './common.js';

$('target').textContent = params.get('rd') || params.get('next') || '';

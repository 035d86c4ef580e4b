// Entry for `npm start` (run from source by tsx); the published bin runs the built main.ts.
import { run } from './main.js';

run();
